/**
 * A Grant's status as a customer reads it (CDS-WG3-01 §9.4: the current `status` in terms the
 * customer would understand), and whether it still gives the Client access, which decides whether
 * the receipt offers to revoke it (R3-01-9.4-33).
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 * @see CDS-WG1-02 §8.2 Grant Statuses
 * @module
 */
import type { GrantStatus } from '@cds-ts/schema'
import type { Translator } from '../../pages/i18n.js'
import { NO_ACCESS_STATUSES } from '../../wg1-02/grants/grant-access.js'

/**
 * Whether a Grant in `status` gives its Client any access (CDS-WG1-02 §8.2), so revoking it
 * still changes something (R3-01-9.4-33: `active`, `pending`, `partial`, `delayed`, `stopped`, …).
 *
 * @see CDS-WG1-02 §8.2 Grant Statuses
 */
export function grantGivesAccess(status: GrantStatus): boolean {
  return !NO_ACCESS_STATUSES.has(status)
}

/** The status in one sentence of customer words. */
export function grantStatusText(t: Translator, status: GrantStatus): string {
  return t(`receipts.grantStatus.${status}`)
}

/** The status in a word or two, for tables. */
export function grantStatusLabel(t: Translator, status: GrantStatus): string {
  return t(`receipts.grantStatusShort.${status}`)
}
