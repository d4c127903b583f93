import { parseRoute, type Route } from './routes.ts';

function here(): Route {
  return parseRoute(location.pathname, location.search);
}

let current = $state<Route>(here());

addEventListener('popstate', () => {
  current = here();
});

/** The page the address bar shows (reactive). */
export function currentRoute(): Route {
  return current;
}

/** Go to an in-app path without reloading; `replace` when going back should skip this step. */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  current = here();
}

/** `onclick` for in-app links: a plain click navigates in place; modified clicks act as usual. */
export function followLink(event: MouseEvent & { currentTarget: HTMLAnchorElement }): void {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const target = event.currentTarget;
  if (target.origin !== location.origin || target.target === '_blank') return;
  event.preventDefault();
  navigate(target.pathname + target.search);
}
