/**
 * `text` with the password of every URL in it masked (`https://ana:secret@host/db` → `https://ana:***@host/db`; a lone
 * token before `@` is masked whole), so an address typed with its credentials can go into a message, a status line or
 * an Error Report without them. Text without such a URL comes back as it is.
 */
export function maskCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z\d+.-]*:\/\/)([^\s/?#@]*)@/gi, (_whole, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return `${scheme}${colon < 0 ? '***' : `${userinfo.slice(0, colon)}:***`}@`;
  });
}
