/**
 * The Messages a registration must create synchronously for the after-registration requirements
 * of its scopes (CDS-WG1-02 §3.6): `payment_request`, `online_form_request`, `pdf_form_request`,
 * and a notification that an internal review has started.
 *
 * @module
 */
import { randomUUID } from 'node:crypto'
import { toDateTime, type Clock } from '@cds-ts/auth'
import { Decimal, type MessageRelatedType, type MessageType, type RegistrationField } from '@cds-ts/schema'
import type { Kysely } from 'kysely'
import type { ServerConfig } from '../../config/config-schema.js'
import { endpointUrl } from '../../config/endpoints.js'
import type { Database } from '../../db/database.js'
import { KyselyMessageStore, type MessageRecord } from '../../db/message-store.js'
import { writeServerMessage } from '../../shared/server-messages.js'
import type { RegistrationHook } from '../oauth/on-registered.js'

/**
 * The path of the page a requirement Message links to; the Message id follows it.
 *
 * @see CDS-WG1-02 §3.6 Registration Field Types
 */
export const REQUIREMENT_PAGE_PATH = '/registration-requirements'

/**
 * The reusable page of a requirement Message: the payment form, the online form or the blank PDF
 * (CDS-WG1-02 §3.6: never single-use).
 *
 * @see CDS-WG1-02 §3.6 Registration Field Types
 */
export function requirementPageUrl(baseUrl: string, message_id: string): string {
  return `${baseUrl}${REQUIREMENT_PAGE_PATH}/${encodeURIComponent(message_id)}`
}

/** The Message type and link type of each requirement that asks the Client to act (§3.6). */
const REQUEST_BY_FIELD_TYPE: Readonly<Record<string, { type: MessageType; related_type: MessageRelatedType; name: string }>> = {
  // CDS-WG1-02 §3.6 (R1-02-3.6-05): a payment form.
  payment_required: { type: 'payment_request', related_type: 'payment_form', name: 'Setup payment required' },
  // CDS-WG1-02 §3.6 (R1-02-3.6-15): the start of the email verification.
  email_verification: { type: 'online_form_request', related_type: 'online_form', name: 'Email verification required' },
  // CDS-WG1-02 §3.6 (R1-02-3.6-21): the start of the single sign-on.
  sso_verification: { type: 'online_form_request', related_type: 'online_form', name: 'Single sign-on required' },
  // CDS-WG1-02 §3.6 (R1-02-3.6-37): the online form.
  online_form: { type: 'online_form_request', related_type: 'online_form', name: 'Online form required' },
  // CDS-WG1-02 §3.6 (R1-02-3.6-29): the PDF to fill in.
  pdf_form: { type: 'pdf_form_request', related_type: 'pdf_form', name: 'PDF form required' },
}

/** The text of a requirement Message: the field's description and where its documentation is. */
function requirementText(field: RegistrationField): string {
  return `${field.description} Details: ${field.documentation}`
}

/**
 * The open request Message for one requirement, with its page link, or `undefined` when the
 * requirement asks nothing of the Client through a form (`registration_field`, `internal_review`,
 * extension types).
 *
 * @see CDS-WG1-02 §3.6 Registration Field Types
 */
export function requirementMessage(baseUrl: string, registration_id: string, field: RegistrationField, now: string): MessageRecord | undefined {
  const request = REQUEST_BY_FIELD_TYPE[field.type]
  if (request === undefined) return undefined
  const message_id = randomUUID()
  const message: MessageRecord = {
    message_id,
    registration_id,
    previous_id: null,
    type: request.type,
    // CDS-WG1-02 §6.1 (R1-02-6.1-02, -03): from the Server, so unread and without a creator.
    read: false,
    creator: null,
    created: now,
    modified: now,
    // CDS-WG1-02 §6.3: the Client has not answered yet.
    status: 'open',
    name: request.name,
    description: requirementText(field),
    // CDS-WG1-02 §6.1 (R1-02-6.1-09..11): each request links its own kind of page.
    related_uri: requirementPageUrl(baseUrl, message_id),
    related_type: request.related_type,
    attachments: [],
  }
  if (field.type === 'payment_required') {
    // CDS-WG1-02 §3.5, §6.1 (R1-02-6.1-13): the amount and currency of the field, digits unchanged.
    if (field.amount !== undefined) message.amount = Decimal.from(field.amount)
    if (field.currency !== undefined) message.currency = field.currency
  }
  return message
}

/**
 * Writes the requirement Messages of a registration: one open request per payment, verification
 * or form requirement, and one notification per internal review.
 *
 * @see CDS-WG1-02 §3.6 Registration Field Types
 */
export async function writeRequirementMessages(
  db: Kysely<Database>,
  clock: Clock,
  config: ServerConfig,
  registration_id: string,
  fields: readonly RegistrationField[],
): Promise<MessageRecord[]> {
  const store = new KyselyMessageStore(db)
  const now = toDateTime(clock.now())
  const written: MessageRecord[] = []
  for (const field of fields) {
    const request = requirementMessage(config.base_url, registration_id, field, now)
    if (request !== undefined) {
      await store.insert(request)
      written.push(request)
    } else if (field.type === 'internal_review') {
      // CDS-WG1-02 §3.6 (R1-02-3.6-02): the review's progress is told through the Messages API.
      written.push(
        await writeServerMessage(db, clock, {
          registration_id,
          previous_id: null,
          type: 'notification',
          status: 'complete',
          name: 'Internal review under way',
          description: `${requirementText(field)} Production access follows the review; its outcome arrives as a Message.`,
          related_uri: endpointUrl(config.base_url, 'clients_api'),
          related_type: 'client_list',
        }),
      )
    }
  }
  return written
}

/**
 * The registration hook: creates the requirement Messages of a new registration inside its
 * transaction, before the 201 is sent (CDS-WG1-02 §3.6 asks for them synchronously).
 *
 * @see CDS-WG1-02 §3.6 Registration Field Types
 */
export const createRequirementMessages: RegistrationHook = async (tx, registration, { config, clock }) => {
  await writeRequirementMessages(tx, clock, config, registration.registration_id, registration.pending_requirements)
}
