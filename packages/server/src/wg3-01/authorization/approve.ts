/**
 * The customer's approval (CDS-WG3-01 §9.1.1, catalog D3 step 10), all in one transaction:
 * the interaction is marked answered (single use, §9.2.1.6), the request is checked again and
 * narrowed as the customer chose, the Grant is recorded with the selections and a
 * code issued (`completeAuthorization`), and the Authorization Receipt is created with the words
 * the form showed (§9.4). The receipt email goes out after the commit.
 *
 * @see CDS-WG3-01 §9.1.1 Authorization Requests
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 * @module
 */
import { completeAuthorization, toDateTime, type AuthorizationDecision, type CompletedAuthorization } from '@cds-ts/auth'
import type { CustomerSession } from '../../customers/session.js'
import { KyselyAuthStore } from '../../db/oauth-store.js'
import { deliverQueuedEmails } from '../../notifications/deliver.js'
import type { PagesPluginOptions } from '../../pages/index.js'
import { serverAuthorizationGrants } from '../../wg1-02/grants/authorization-grants.js'
import { authorizationSettings } from '../../wg1-02/oauth/par.js'
import { createReceipt, type ReceiptSection, type ReceiptSnapshot } from '../receipts/create-receipt.js'
import type { FormModel } from './form-model.js'
import { completeInteraction, type Interaction } from './interaction-store.js'
import { grantSelections, modificationsOf, remainingSections, type FormState } from './selections.js'

/**
 * What the customer approved, in the words the form showed: the receipt's snapshot (§9.4).
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 */
export function receiptSnapshot(
  options: Pick<PagesPluginOptions, 'pages' | 'clock'>,
  model: FormModel,
  state: FormState,
  approved: Pick<CompletedAuthorization, 'scope' | 'authorization_details'>,
): ReceiptSnapshot {
  const { t, brand } = options.pages
  const sections = remainingSections(model, state).map((section): ReceiptSection => {
    const off = state.switched_off.get(section.index) ?? new Set<string>()
    const selection = section.selection
    const chosen = state.selected.get(section.index) ?? new Set<string>()
    const items = selection === null ? [] : selection.entries.filter((e) => chosen.has(e.number)).map((e) => e.line)
    const include_future = state.include_future.has(section.index)
    return {
      scopes: section.scopes.map((s) => s.scope.id),
      data: section.scopes.map((s) => s.data.summary),
      data_details: section.scopes.flatMap((s) =>
        s.data.items
          // The optional data the customer switched off is not part of what they approved.
          .filter((item) => item.field === null || !off.has(`${s.entry?.type ?? ''}:${item.field}`))
          .map((item) => `${item.label} (${t('authorization.data.example', { example: item.example })})`),
      ),
      durations: section.durations,
      selection:
        selection === null
          ? // A scope without a Selection type covers the customer's data as a whole.
            { resource_type: 'account', heading: t('authorization.selection.heading.none'), items: [], count: 0, all: true, include_future: false, include_future_text: null }
          : {
              resource_type: selection.resource_type,
              heading: selection.heading,
              items,
              count: items.length,
              all: selection.entries.length > 0 && items.length === selection.entries.length,
              include_future,
              include_future_text: include_future ? selection.include_future_text : null,
            },
      purpose: section.purpose,
    }
  })
  return {
    client_id: model.client.client_id,
    client_name: model.client.client_name,
    client_uri: model.client.client_uri ?? null,
    scope: approved.scope,
    authorization_details: approved.authorization_details,
    sections,
    terms_uri: brand.terms_uri,
    approved_at: toDateTime(options.clock.now()),
  }
}

/**
 * Records an approval and returns where the browser goes (the client's redirect URI with a code
 * and the state, or with an error met on the way), or `undefined` when the interaction was
 * already answered or expired meanwhile.
 *
 * @throws {OAuthError} when the Client object was disabled or lost the redirect URI meanwhile (an error to show)
 * @see CDS-WG3-01 §9.1.1 Authorization Requests
 */
export async function approve(
  options: PagesPluginOptions,
  interaction: Interaction,
  customer: CustomerSession,
  model: FormModel,
  state: FormState,
): Promise<string | undefined> {
  const { db, clock, config } = options
  const modifications = modificationsOf(model, state)
  const decision: AuthorizationDecision = {
    customer_id: customer.customer_id,
    selections: grantSelections(model, state),
    ...(modifications === undefined ? {} : { modifications }),
  }
  const location = await db.transaction().execute(async (trx) => {
    // §9.2.1.6: one answer per interaction; a second submission finds it taken.
    if (!(await completeInteraction(trx, clock, interaction))) return undefined
    const done = await completeAuthorization(interaction.pending, decision, {
      store: new KyselyAuthStore(trx),
      clock,
      settings: authorizationSettings(config),
      grants: serverAuthorizationGrants(trx, clock, config),
    })
    if ('code' in done.response && done.grant_id !== null) {
      // §9.1.1, §9.4: the receipt belongs to the same approval as the Grant and the code.
      await createReceipt(trx, { config, clock }, { grant_id: done.grant_id, customer_id: customer.customer_id, snapshot: receiptSnapshot(options, model, state, done), notify_email: customer.email })
    }
    return done.location
  })
  // §9.4: the notification leaves only once the approval is committed.
  if (location !== undefined) await deliverQueuedEmails(db, config, clock)
  return location
}
