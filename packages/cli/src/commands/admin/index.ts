/**
 * `cds admin …`: the operator's side of a CDS server (CDS-WG1-02 §5–§9 leave it to the server):
 * list registrations and what waits for an answer, approve production and grant requests, answer
 * and reject Messages, send notifications and requests, create Grants and change their status,
 * store and share Server-Provided Files, expire leaked Credentials, disable Client objects. Each
 * subcommand is one call to the server's operator API (`/operator/…`, see the docs page
 * "Operator API"); nothing here imports the server.
 *
 * @module
 */
import { Command } from 'commander'
import { approveGrantRequestCommand, approveProductionCommand, rejectCommand, replyCommand } from './decide.js'
import { clientsCommand, filesCommand, grantsCommand, messagesCommand, registrationsCommand } from './listings.js'
import {
  clientStatusCommand,
  createGrantCommand,
  expireCredentialCommand,
  grantStatusCommand,
  scopeOverridesCommand,
  shareFileCommand,
  uploadFileCommand,
} from './resources.js'
import { formRequestCommand, notifyCommand, privateMessageCommand, serverRequestCommand } from './send.js'

/** Builds the `admin` command and its subcommands. */
export function adminCommand(): Command {
  const admin = new Command('admin')
    .description('operate a CDS server through its operator API: answer requests, send messages, manage grants, files and credentials')
    .option('--url <server>', 'the server\u2019s base URL (default $CDS_OPERATOR_URL)')
    .option('--token <token>', 'the operator token (default $CDS_OPERATOR_TOKEN)')
    .option('--json', 'print the server\u2019s JSON answer instead of a table')
    .showHelpAfterError('(run "cds admin --help" for usage)')
    .addHelpText(
      'after',
      '\nExit codes: 0 done, 1 the server refused (its error is printed), 2 usage error.\n' +
        'Example: cds admin messages --url http://127.0.0.1:8080 --token "$CDS_OPERATOR_TOKEN"',
    )
  const subcommands = [
    registrationsCommand(),
    clientsCommand(),
    messagesCommand(),
    grantsCommand(),
    filesCommand(),
    approveProductionCommand(),
    approveGrantRequestCommand(),
    rejectCommand(),
    replyCommand(),
    notifyCommand(),
    privateMessageCommand(),
    serverRequestCommand(),
    formRequestCommand('payment'),
    formRequestCommand('online_form'),
    formRequestCommand('pdf_form'),
    createGrantCommand(),
    grantStatusCommand(),
    uploadFileCommand(),
    shareFileCommand(),
    expireCredentialCommand(),
    clientStatusCommand(),
    scopeOverridesCommand(),
  ]
  // Usage errors reach the bin as CommanderErrors, which it ends with exit code 2 (added commands do not inherit this).
  admin.exitOverride()
  for (const subcommand of subcommands) admin.addCommand(subcommand.exitOverride().showHelpAfterError(`(run "cds admin ${subcommand.name()} --help" for usage)`))
  return admin
}
