export interface PageHooks {
  /** The page became hidden: it may never be seen again (mobile, tab close). */
  hidden(): void;
  /** `pagehide`: unloading, or entering the back/forward cache (`persisted`). */
  leaving(persisted: boolean): void;
  /** `pageshow` of a page restored from the back/forward cache. */
  restored(): void;
}

/** Follows the page lifecycle; returns a function that stops following. */
export function watchPage(hooks: PageHooks): () => void {
  if (typeof window === 'undefined') return () => {};
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') hooks.hidden();
  };
  const onHide = (event: PageTransitionEvent) => hooks.leaving(event.persisted);
  const onShow = (event: PageTransitionEvent) => {
    if (event.persisted) hooks.restored();
  };
  document.addEventListener('visibilitychange', onVisibility);
  window.addEventListener('pagehide', onHide);
  window.addEventListener('pageshow', onShow);

  return () => {
    document.removeEventListener('visibilitychange', onVisibility);
    window.removeEventListener('pagehide', onHide);
    window.removeEventListener('pageshow', onShow);
  };
}
