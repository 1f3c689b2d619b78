import { Button, Center, Loader, Stack, Title } from '@mantine/core';
import type { ComponentType, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { AppLayout } from './components/app-layout.tsx';
import { ErrorAlert } from './components/error-alert.tsx';
import { CompaniesPage } from './pages/companies-page.tsx';
import { ContactsPage } from './pages/contacts-page.tsx';
import { DashboardPage } from './pages/dashboard-page.tsx';
import { CompanyRecordPage } from './features/crm/company-record.tsx';
import { ContactRecordPage } from './features/crm/contact-record.tsx';
import { DealRecordPage } from './features/crm/deal-record.tsx';
import { DealsPage } from './pages/deals-page.tsx';
import { InboxPage } from './pages/inbox-page.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { MailboxesPage } from './pages/settings/mailboxes-page.tsx';
import { MailboxSyncPage } from './pages/settings/mailbox-sync-page.tsx';
import { OrganisationPage } from './pages/settings/organisation-page.tsx';
import { SecurityPage } from './pages/settings/security-page.tsx';
import { SigninAppsPage } from './pages/settings/signin-apps-page.tsx';
import { TokensPage } from './pages/settings/tokens-page.tsx';
import { UsersPage } from './pages/settings/users-page.tsx';
import { SetupPage } from './pages/setup-page.tsx';
import { useSession } from './session/session-context.tsx';
import { ComposeProvider } from './features/compose/compose-context.tsx';
import { OutboxPage } from './pages/outbox-page.tsx';
import { TemplatesPage } from './pages/settings/templates-page.tsx';
import { WebhooksPage } from './features/webhooks/webhooks-page.tsx';

/**
 * Where a visitor may be: setup while no user exists, the login page while signed out, the app while
 * signed in. Every route passes through here so deep links redirect the same way.
 */
function Gate({ area, children }: { area: 'setup' | 'login' | 'app'; children: ReactNode }) {
  const { state, reload } = useSession();
  const { t } = useTranslation();
  const location = useLocation();

  if (state.status === 'loading') {
    return (
      <Center h="100vh" data-testid="app-loading">
        <Loader size="sm" aria-label={t('app.loading')} />
      </Center>
    );
  }
  if (state.status === 'error') {
    return (
      // A page of its own (no app layout around it): its own main landmark and heading.
      <Center component="main" h="100vh" px="md">
        <Stack w={380} gap="sm">
          <Title order={1} size="h4">
            {t('app.loadFailed')}
          </Title>
          <ErrorAlert error={state.error} testId="app-load-error" />
          <Button variant="default" onClick={() => void reload()}>
            {t('app.retry')}
          </Button>
        </Stack>
      </Center>
    );
  }
  if (state.setupNeeded) return area === 'setup' ? children : <Navigate to="/setup" replace />;
  if (area === 'setup') return <Navigate to={state.user ? '/inbox' : '/login'} replace />;
  if (area === 'login') return state.user ? <Navigate to="/inbox" replace /> : children;
  if (!state.user) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return children;
}

/** The pages of the signed-in app, by path. */
const APP_PAGES: Array<[path: string, page: ComponentType]> = [
  ['/inbox', InboxPage],
  ['/outbox', OutboxPage],
  ['/contacts', ContactsPage],
  ['/companies', CompaniesPage],
  ['/deals', DealsPage],
  ['/contacts/:id', ContactRecordPage],
  ['/companies/:id', CompanyRecordPage],
  ['/deals/:id', DealRecordPage],
  ['/dashboard', DashboardPage],
  ['/settings/mailboxes', MailboxesPage],
  ['/settings/mailboxes/signin-apps', SigninAppsPage],
  ['/settings/mailboxes/:id', MailboxSyncPage],
  ['/settings/organisation', OrganisationPage],
  ['/settings/users', UsersPage],
  ['/settings/security', SecurityPage],
  ['/settings/tokens', TokensPage],
  ['/settings/templates', TemplatesPage],
  ['/settings/webhooks', WebhooksPage],
];

export function App() {
  return (
    <BrowserRouter>
      <Routes>
        <Route
          path="/setup"
          element={
            <Gate area="setup">
              <SetupPage />
            </Gate>
          }
        />
        <Route
          path="/login"
          element={
            <Gate area="login">
              <LoginPage />
            </Gate>
          }
        />
        <Route
          element={
            <Gate area="app">
              <ComposeProvider>
                <AppLayout />
              </ComposeProvider>
            </Gate>
          }
        >
          {APP_PAGES.map(([path, Page]) => (
            <Route key={path} path={path} element={<Page />} />
          ))}
          <Route path="/settings" element={<Navigate to="/settings/mailboxes" replace />} />
          <Route path="*" element={<Navigate to="/inbox" replace />} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
