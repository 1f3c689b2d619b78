import { api } from '../../api/client.ts';
import type { SigninApp, SigninAppInput, SigninFlow, SigninInvitation, SigninProvider, StartedFlow, StartFlowInput } from './types.ts';

const app = (provider: SigninProvider) => `/api/v1/signin-apps/${encodeURIComponent(provider)}`;
const flow = (id: string) => `/api/v1/signin/flows/${encodeURIComponent(id)}`;

/** Typed calls for the sign-in routes: apps (admin), flows, invitations. */
export const signinApi = {
  apps: () => api.get<{ items: SigninApp[] }>('/api/v1/signin-apps'),
  saveApp: (provider: SigninProvider, input: SigninAppInput) => api.put<{ item: SigninApp }>(app(provider), input),
  removeApp: (provider: SigninProvider) => api.delete(app(provider)),
  startFlow: (input: StartFlowInput) => api.post<StartedFlow>('/api/v1/signin/flows', input),
  /** For a device flow, each read also asks the provider whether the user has signed in yet. */
  flow: (id: string) => api.get<SigninFlow>(flow(id)),
  invite: (input: { ownerUserId: string; email: string; provider: SigninProvider }) =>
    api.post<SigninInvitation>('/api/v1/signin/invitations', input),
  invitation: (id: string) => api.get<SigninInvitation>(`/api/v1/signin/invitations/${encodeURIComponent(id)}`),
};
