/**
 * Who asks for a change, as the audit trail records it: a signed-in user from an address, or someone at
 * the server's terminal running the `tidings` command (no user, no address).
 */
export interface Actor {
  userId: string | null;
  ip: string | null;
  via?: 'cli';
}

export const cliActor: Actor = { userId: null, ip: null, via: 'cli' };

export function userActor(userId: string, ip: string): Actor {
  return { userId, ip };
}
