import type { ComponentType, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Messages } from './i18n/messages.js';

/*
 * A page whose code is fetched only when it is needed (its own chunk, with chart.js for the overview): the sign-in
 * form then needs only the small first bundle, which matters on a slow line. `preload()` starts the fetch early (in
 * parallel with the session check) so opening the page waits for no extra round trip.
 */

interface LazyPage<P> {
  (props: P): JSX.Element;
  preload(): Promise<ComponentType<P>>;
}

export function lazyPage<P extends { m: Messages }>(load: () => Promise<ComponentType<P>>): LazyPage<P> {
  let loaded: ComponentType<P> | undefined;
  let loading: Promise<ComponentType<P>> | undefined;
  const preload = () => {
    loading ??= load().then(
      (component) => (loaded = component),
      (error: unknown) => {
        loading = undefined; // the next visit tries again (the line may be back)
        throw error;
      },
    );
    return loading;
  };

  function Lazy(props: P) {
    const [component, setComponent] = useState<ComponentType<P> | undefined>(() => loaded);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (component) return;
      let current = true;
      preload().then(
        (c) => current && setComponent(() => c),
        () => current && setFailed(true),
      );
      return () => {
        current = false;
      };
    }, [component]);
    const Page = component;
    if (Page) return <Page {...props} />;
    return (
      <p class="status-line" role={failed ? 'alert' : undefined}>
        {failed ? props.m.networkError : props.m.loading}
      </p>
    );
  }
  return Object.assign(Lazy, { preload });
}
