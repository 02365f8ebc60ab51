/**
 * A deliberately loose RFC 9396 authorization details entry, used inside the client
 * management objects (Client, Message grant requests, Grant) of CDS-WG1-02 §5–§8.
 *
 * It checks only what every entry has (a string `type`) and keeps every other member, since
 * the members allowed depend on the scope's Authorization Details Field list (CDS-WG1-02
 * §3.8), which a static schema cannot know. Not registered (no `$id`).
 *
 * @internal
 * @module
 */
import Type, { type Static } from 'typebox'

/**
 * One authorization details entry: a `type` plus any members that type defines
 * (RFC 9396 §2; CDS-WG1-02 cites it as §7.1).
 *
 * @internal
 * @see RFC 9396 §2 Request Parameter "authorization_details"
 */
export const OpenAuthorizationDetail = Type.Object(
  {
    type: Type.String({ description: 'The authorization details type; a scope id of `authorization_details_types` (RFC 9396 §2).' }),
  },
  {
    description: 'An RFC 9396 authorization details entry; members other than `type` depend on the type (CDS-WG1-02 §3.8).',
    // Kept explicitly open so that allow-list serializers and the closed strict check keep them.
    additionalProperties: true,
  },
)
/** @internal */
export type OpenAuthorizationDetail = Static<typeof OpenAuthorizationDetail>

/**
 * An authorization details list (RFC 9396 §2), `[]` when the scope string alone suffices.
 *
 * @internal
 */
export function authorizationDetailsList(description: string) {
  return Type.Array(OpenAuthorizationDetail, { description })
}
