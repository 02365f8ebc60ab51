/**
 * The checks of a new Client Message (CDS-WG1-02 §6.9) that depend on stored state or on the
 * configuration: what a submission answers, which Grants a grant request may ask for, and how
 * large its attachments are. The body schema (`MessageCreateRequest`) has already checked shapes.
 *
 * @module
 */
import { ContentTooLarge, InvalidRequest } from '@cds-ts/auth'
import type { ClientGrantRequest, ClientUpdateRequest, MessageAttachment } from '@cds-ts/schema'
import type { AttachmentRecord, MessageRecord } from '../../db/message-store.js'
import type { LinkedClient } from './message-links.js'

/**
 * Checks the `updates_requested` of a `client_submission` against the request it answers.
 * A `server_request` is answered field by field: each `field` is one the request asked for, once
 * (R1-02-6.9-06). A `pdf_form_request` has no fields; its answer is the filled PDF, attached or
 * linked from an entry's `uri`.
 *
 * @throws {InvalidRequest} for a missing, unknown or repeated field
 * @see CDS-WG1-02 §6.9 Creating Messages
 */
export function checkSubmission(answered: MessageRecord, updates: readonly ClientUpdateRequest[] | undefined, attachmentCount: number): void {
  if (answered.type === 'pdf_form_request') {
    // the PDF comes as an attachment or as a link in updates_requested[].uri.
    if (attachmentCount === 0 && !(updates ?? []).some((u) => u.uri !== undefined)) {
      throw new InvalidRequest('a client_submission to a pdf_form_request carries the filled PDF in attachments or in an updates_requested uri')
    }
    return
  }
  // CDS-WG1-02 §6.9 (R1-02-6.9-06): a submission to a server_request lists its answers.
  if (updates === undefined || updates.length === 0) throw new InvalidRequest("the body parameter 'updates_requested' is required for a client_submission")
  const asked = new Set((answered.updates_requested ?? []).map((u) => u.field))
  const seen = new Set<string>()
  for (const [i, update] of updates.entries()) {
    if (!asked.has(update.field)) {
      throw new InvalidRequest(`the body parameter 'updates_requested/${i}/field' ${JSON.stringify(update.field)} is not a field the server_request asks for`)
    }
    if (seen.has(update.field)) throw new InvalidRequest(`the body parameter 'updates_requested/${i}/field' repeats ${JSON.stringify(update.field)}`)
    seen.add(update.field)
  }
}

/**
 * Checks the `grants_requested` of a `grant_request` against its target Client object: each
 * `scope` value is one of the target's scopes, and each authorization detail `type` is one of its
 * `authorization_details_types` (CDS-WG1-02 §6.6).
 *
 * @throws {InvalidRequest} naming the entry that does not fit
 * @see CDS-WG1-02 §6.6 Client Grant Request Object Format
 */
export function checkGrantRequests(grants: readonly ClientGrantRequest[], target: LinkedClient): void {
  const scopes = new Set(target.scope.split(' ').filter((s) => s !== ''))
  const types = new Set(target.authorization_details_types)
  for (const [i, grant] of grants.entries()) {
    const requested = grant.scope.split(' ').filter((s) => s !== '')
    if (requested.length === 0) throw new InvalidRequest(`the body parameter 'grants_requested/${i}/scope' must name at least one scope`)
    for (const scope of requested) {
      if (!scopes.has(scope)) throw new InvalidRequest(`the body parameter 'grants_requested/${i}/scope' asks for ${scope}, which the target Client object does not have`)
    }
    for (const [j, detail] of grant.authorization_details.entries()) {
      // CDS-WG1-02 §6.6 (R1-02-6.6-02): only the target's authorization details types.
      if (!types.has(detail.type)) {
        throw new InvalidRequest(
          `the body parameter 'grants_requested/${i}/authorization_details/${j}/type' ${JSON.stringify(detail.type)} is not in the target Client object's authorization_details_types`,
        )
      }
    }
  }
}

/** The number of bytes a padded RFC 4648 §4 Base64 text decodes to. */
function decodedLength(data: string): number {
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0
  return (data.length / 4) * 3 - padding
}

/**
 * Decodes the attachments of a new Message, after checking that each is padded Base64 and that
 * together they stay within `limit` decoded bytes.
 *
 * @param limit `client_management.attachment_limit` (at least 10 MB, A-51)
 * @throws {InvalidRequest} for Base64 that is not a whole number of 4-character groups
 * @throws {ContentTooLarge} (413) when the decoded total exceeds `limit` (R1-02-6.9-10)
 * @see CDS-WG1-02 §6.7 Message Attachment Object Format
 * @see CDS-WG1-02 §6.9 Creating Messages
 */
export function decodeAttachments(attachments: readonly MessageAttachment[], limit: number): AttachmentRecord[] {
  let total = 0
  for (const [i, attachment] of attachments.entries()) {
    // CDS-WG1-02 §6.7: `data` is padded Base64 (the schema has checked the alphabet and where `=` may go).
    if (attachment.data.length % 4 !== 0) throw new InvalidRequest(`the body parameter 'attachments/${i}/data' is not padded Base64`)
    total += decodedLength(attachment.data)
  }
  // CDS-WG1-02 §6.9 (R1-02-6.9-10; A-51): the limit counts decoded bytes of all attachments together.
  if (total > limit) throw new ContentTooLarge(`the attachments hold ${total} bytes; this server accepts at most ${limit} per Message`)
  return attachments.map((a) => ({ filename: a.filename, mime_type: a.mime_type, data: Buffer.from(a.data, 'base64') }))
}
