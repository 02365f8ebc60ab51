/**
 * The Purpose object: a disclosure a Client shows on the Authorization Form's Purpose Component.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'

// At least one character that is not whitespace.
const NON_BLANK = '\\S'
// Not blank and on one line.
const ONE_LINE_NON_BLANK = '^[^\\r\\n]*\\S[^\\r\\n]*$'

/**
 * Purpose object: a named disclosure of purpose or data use, chosen per scope with the `purpose`
 * authorization details field and rendered to the Customer. Clients ignore members they do not know.
 *
 * @see CDS-WG3-01 §8.3 Purpose Object Format
 */
export const Purpose = Type.Object(
  {
    id: Type.String({ description: 'Server-wide unique id of the Purpose; Server-assigned (CDS-WG3-01 §8.2).' }),
    name: Type.String({ description: 'Label for the Client only; never shown to the Customer.' }),
    content: Type.String({ pattern: NON_BLANK, description: 'Text shown in the Purpose Component; not blank, line breaks allowed.' }),
    related_uri: Cds.Nullable(Cds.Url(), { description: 'Optional link shown with the content (e.g. terms of service), or `null`.' }),
    related_name: Type.Optional(
      Cds.Nullable(Type.String(), { description: 'Link text for `related_uri`; required, not blank and single-line when `related_uri` is set.' }),
    ),
    scopes_supported: Type.Array(Type.String(), {
      description: 'Scope ids whose `purpose` field may select this Purpose; may be empty; Server-assigned (CDS-WG3-01 §8.2).',
    }),
  },
  {
    $id: 'Purpose',
    description: 'A disclosure of purpose or data use shown to the Customer on the Authorization Form for the scopes it supports (CDS-WG3-01 §8.3).',
    // CDS-WG3-01 §8.3: a link needs a one-line, non-blank link text.
    allOf: [
      {
        if: { required: ['related_uri'], properties: { related_uri: { type: 'string' } } },
        then: { required: ['related_name'], properties: { related_name: { type: 'string', pattern: ONE_LINE_NON_BLANK } } },
      },
    ],
  },
)
export type Purpose = Static<typeof Purpose>
