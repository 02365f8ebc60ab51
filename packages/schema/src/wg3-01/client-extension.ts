/**
 * The fields CDS-WG3-01 adds to the CDS-WG1-02 Client object.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'
import { Purpose } from './purpose.js'

/**
 * Client object extension: only the members CDS-WG3-01 adds to the CDS-WG1-02 §5.1 Client
 * object. Validate a full Client against both schemas. `cds_purposes` is keyed by each Purpose's
 * `id` (a link JSON Schema cannot check), includes the Server's default Purposes, and is
 * changed through the Client modification API under the §8.2 rules.
 *
 * @see CDS-WG3-01 §8.1 Client Object Extension
 * @see CDS-WG3-01 §8.2 Modifying Client Objects Extension
 */
export const CustomerDataClientExtension = Type.Object(
  {
    cds_purposes: Type.Optional(
      Cds.Map(Purpose, { description: 'The Purposes this Client may show on Authorization Forms, keyed by Purpose `id` (CDS-WG3-01 §8.1).' }),
    ),
  },
  {
    $id: 'CustomerDataClientExtension',
    description: 'The Client object members added by Customer Data: the map of Purposes a Client may disclose to Customers (CDS-WG3-01 §8.1).',
  },
)
export type CustomerDataClientExtension = Static<typeof CustomerDataClientExtension>
