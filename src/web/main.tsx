import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './app/styles.css';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError, setAuthHandlers, setServerReachedHandler } from './api/client';
import { sessionClock } from './api/sessionClock';
import { expiredStore, meQuery } from './api/session';
import { router } from './app/router';
import { theme } from './app/theme';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Do not retry what the server refused (4xx); retry network hiccups once.
      retry: (count, e) => !(e instanceof ApiError && e.status >= 400 && e.status < 500) && count < 1,
      refetchOnWindowFocus: false,
      staleTime: 30_000,
    },
  },
});

setAuthHandlers({
  unauthorized: () => {
    // Someone was signed in on this page: it stays, under the sign-in dialog (SessionGuard).
    if (queryClient.getQueryData(meQuery.queryKey) && sessionClock.ended()) return;
    // Otherwise back to the login; the page comes back after signing in.
    if (queryClient.getQueryData(meQuery.queryKey)) expiredStore.set(true);
    queryClient.setQueryData(meQuery.queryKey, null);
  },
  passwordChange: () => {
    void queryClient.invalidateQueries({ queryKey: meQuery.queryKey });
  },
});

setServerReachedHandler((path, query) => sessionClock.reached(path, query));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light" forceColorScheme="light">
      {/* Inside a named region: a notification outside every landmark is content screen-reader users can miss (axe «region»). */}
      <section aria-label="Avisos">
        <Notifications position="top-right" limit={3} withinPortal={false} />
      </section>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
