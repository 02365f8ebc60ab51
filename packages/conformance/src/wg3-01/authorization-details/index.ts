/**
 * The checks of this area, in catalog order. Each file of the folder exports its checks; this barrel collects them.
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import { directFilterChecks } from './direct-filters.js'
import { addressFormChecks } from './address-forms.js'
import { defaultChecks } from './defaults.js'
import { docChecks } from './docs.js'
import { durationChecks } from './durations.js'
import { expiryChecks } from './expiry.js'
import { fieldObjectCheckList } from './field-objects.js'
import { fieldRuleChecks } from './field-rules.js'
import { formRuleChecks } from './form-rules.js'
import { includeConsentChecks } from './include-consent.js'
import { includeDirectChecks } from './include-direct.js'
import { jwkResponseChecks } from './jwk-responses.js'
import { otherFieldChecks } from './other-fields.js'
import { preselectionFormChecks } from './preselection-forms.js'
import { purposeChecks } from './purposes.js'

/** Every check of this area. */
export const checks: readonly Check[] = [...defaultChecks, ...fieldRuleChecks, ...fieldObjectCheckList, ...directFilterChecks, ...preselectionFormChecks, ...addressFormChecks, ...includeDirectChecks, ...includeConsentChecks, ...durationChecks, ...expiryChecks, ...otherFieldChecks, ...jwkResponseChecks, ...formRuleChecks, ...purposeChecks, ...docChecks]
