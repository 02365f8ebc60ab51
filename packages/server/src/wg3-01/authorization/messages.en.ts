/**
 * English messages of this area (ICU MessageFormat), merged into the catalog by
 * `pages/messages/en.ts`. Keys start with the area name.
 *
 * @module
 */
export const authorizationMessages = {} as const
