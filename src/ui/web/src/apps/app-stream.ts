// One event stream of an apps page: named events to handlers, the header's live indicator kept
// true, closed when the page goes. EventSource reconnects by itself after a drop.
export type StreamHandlers = Record<string, (data: unknown) => void>;

export function openAppStream(path: string, handlers: StreamHandlers): () => void {
  const source = new EventSource(path);
  const live = document.getElementById('live');
  source.addEventListener('open', () => {
    if (live) {
      live.textContent = 'live';
      live.className = 'live on';
    }
  });
  source.addEventListener('error', () => {
    if (live) {
      live.textContent = 'reconnecting…';
      live.className = 'live off';
    }
  });
  for (const [event, handle] of Object.entries(handlers)) {
    source.addEventListener(event, (e) => handle(JSON.parse((e as MessageEvent<string>).data) as unknown));
  }
  return () => source.close();
}
