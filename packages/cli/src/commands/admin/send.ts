/**
 * The subcommands of `cds admin` that send a Message on the operator's initiative (CDS-WG1-02
 * §6.2): `notify`, `private-message`, `server-request`, and the form and payment requests of §3.6
 * (`payment-request`, `online-form-request`, `pdf-form-request`).
 *
 * @module
 */
import { Decimal } from '@cds-ts/schema'
import { Command, InvalidArgumentError } from 'commander'
import { operatorCall } from './http.js'
import { body, runAdmin, table } from './output.js'

interface Sent {
  messages: { registration_id: string; message: { message_id: string; type: string; status: string; uri: string } }[]
}

/** The summary printed for the Messages written. */
function sentTable(answer: Sent): string {
  return table(answer.messages, [
    { heading: 'MESSAGE', cell: (m) => m.message.message_id },
    { heading: 'REGISTRATION', cell: (m) => m.registration_id },
    { heading: 'TYPE', cell: (m) => m.message.type },
    { heading: 'STATUS', cell: (m) => m.message.status },
  ])
}

/** Common options of a Message: the recipient, the subject and body, a link. */
function messageCommand(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .requiredOption('--name <subject>', 'the subject line')
    .requiredOption('--description <text>', 'the message body')
    .option('--related-uri <url>', 'a link for more information')
    .option('--related-type <type>', 'what the link is (CDS-WG1-02 §6.4), default more_info')
}

interface MessageOptions {
  registration?: string
  replyTo?: string
  all?: boolean
  name: string
  description: string
  relatedUri?: string
  relatedType?: string
}

/** The body members shared by every Message sent. */
function common(type: string, options: MessageOptions): Record<string, unknown> {
  return {
    type,
    name: options.name,
    description: options.description,
    registration_id: options.registration,
    previous_message_id: options.replyTo,
    related_uri: options.relatedUri,
    related_type: options.relatedType,
  }
}

/** Checks that exactly one recipient option is given. */
function oneRecipient(command: Command, options: MessageOptions, allowed: readonly ('registration' | 'replyTo' | 'all')[]): void {
  const given = allowed.filter((key) => options[key] !== undefined && options[key] !== false)
  const flags = { registration: '--registration <id>', replyTo: '--reply-to <message_id>', all: '--all' }
  if (given.length !== 1) command.error(`error: name the recipient with exactly one of ${allowed.map((key) => flags[key]).join(', ')}`, { exitCode: 2 })
}

/** `cds admin notify`. */
export function notifyCommand(): Command {
  return messageCommand('notify', 'send a notification to one registration, or with --all to every registration')
    .option('--registration <id>', 'the registration')
    .option('--all', 'every registration')
    .action(async (options: MessageOptions, command: Command) => {
      oneRecipient(command, options, ['registration', 'all'])
      const payload = { ...common('notification', options), all: options.all === true ? true : undefined }
      await runAdmin(command, (target) => operatorCall(target, 'POST', '/operator/messages', body(payload)) as Promise<Sent>, sentTable)
    })
}

/** `cds admin private-message`. */
export function privateMessageCommand(): Command {
  return messageCommand('private-message', 'send a private message to a registration, or in reply to one of its Messages')
    .option('--registration <id>', 'the registration')
    .option('--reply-to <message_id>', 'the Message answered (its registration receives it)')
    .action(async (options: MessageOptions, command: Command) => {
      oneRecipient(command, options, ['registration', 'replyTo'])
      await runAdmin(command, (target) => operatorCall(target, 'POST', '/operator/messages', body(common('private_message', options))) as Promise<Sent>, sentTable)
    })
}

/** Reads `field:name:description` (the description may contain colons). */
function requestedItem(value: string, previous: { field: string; name: string; description: string }[] | undefined) {
  const [field, name, ...rest] = value.split(':')
  if (field === undefined || field === '' || name === undefined || name === '' || rest.length === 0) {
    throw new InvalidArgumentError('write it as field:name:description, e.g. tax_id:Tax ID:The company tax identifier')
  }
  return [...(previous ?? []), { field, name, description: rest.join(':') }]
}

/** `cds admin server-request`. */
export function serverRequestCommand(): Command {
  return messageCommand('server-request', 'ask a registration to submit information (a server_request, CDS-WG1-02 §6.2)')
    .option('--registration <id>', 'the registration')
    .option('--reply-to <message_id>', 'the Message this request follows')
    .requiredOption('--item <field:name:description>', 'one item the Client must submit (repeatable)', requestedItem)
    .action(async (options: MessageOptions & { item: { field: string; name: string; description: string }[] }, command: Command) => {
      oneRecipient(command, options, ['registration', 'replyTo'])
      const payload = { ...common('server_request', options), updates_requested: options.item }
      await runAdmin(command, (target) => operatorCall(target, 'POST', '/operator/messages', body(payload)) as Promise<Sent>, sentTable)
    })
}

function decimal(value: string): Decimal {
  if (!Decimal.isDecimalText(value)) throw new InvalidArgumentError('write a decimal number, e.g. 49.90')
  return Decimal.from(value)
}

/** `cds admin payment-request`, `online-form-request`, `pdf-form-request`. */
export function formRequestCommand(kind: 'payment' | 'online_form' | 'pdf_form'): Command {
  const what = { payment: 'a payment form', online_form: 'an online form', pdf_form: 'a PDF form' }[kind]
  const command = messageCommand(`${kind.replace('_', '-')}-request`, `ask a registration to complete ${what} (CDS-WG1-02 §3.6)`)
    .option('--registration <id>', 'the registration')
    .option('--reply-to <message_id>', 'the earlier request this one replaces (e.g. when its link expired)')
  // The link is the point of these requests; its related type follows from the kind.
  command.options.find((option) => option.long === '--related-uri')?.makeOptionMandatory(true)
  if (kind === 'payment') {
    command.option('--amount <decimal>', 'the amount to pay', decimal).option('--currency <code>', 'its ISO 4217 currency, e.g. USD')
  }
  return command.action(async (options: MessageOptions & { amount?: Decimal; currency?: string }, cmd: Command) => {
    oneRecipient(cmd, options, ['registration', 'replyTo'])
    const payload = { ...common(`${kind}_request`, options), amount: options.amount, currency: options.currency }
    await runAdmin(cmd, (target) => operatorCall(target, 'POST', '/operator/messages', body(payload)) as Promise<Sent>, sentTable)
  })
}
