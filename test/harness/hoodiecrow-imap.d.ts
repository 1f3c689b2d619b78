// hoodiecrow-imap ships no types; the fake Gmail server (fake-gmail.ts) is its only user.
declare module 'hoodiecrow-imap' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const hoodiecrow: (options: Record<string, unknown>) => any;
  export default hoodiecrow;
}
