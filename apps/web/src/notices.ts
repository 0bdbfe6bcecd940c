// The page's messages: notices above the content (errors with what to do and, where trying again can help, a Retry
// button; warnings; what the page could not honour in the URL), and the diagnostics list in the settings area, where
// developer detail (WebGPU, backend measurements) goes instead of the top of the page. Browser-only.
import { byId, h } from './dom.ts';

/** The kinds of message the page shows above everything else. */
export type NoticeKind = 'error' | 'warning' | 'info';

/** A button on a notice: its label and what it runs (the notice is removed first). */
export interface NoticeAction {
  label: string;
  run: () => void;
}

/** Adds a notice (an error says what to do); `id` replaces an earlier notice with the same id. */
export function notify(kind: NoticeKind, title: string, text: string, id = title, action?: NoticeAction | { label: string; href: string }): void {
  const box = byId('notices');
  box.querySelector(`[data-notice="${CSS.escape(id)}"]`)?.remove();
  const notice = h('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status', 'data-notice': id, 'data-testid': `notice-${kind}` }, h('strong', {}, title), ' ', text);
  if (action && 'run' in action) {
    const button = h('button', { type: 'button', class: 'retry', 'data-testid': 'retry' }, action.label);
    button.onclick = () => (notice.remove(), action.run());
    notice.append(' ', button);
  } else if (action) notice.append(' ', h('a', { href: action.href, 'data-testid': 'notice-link' }, action.label));
  box.append(notice);
}

/** Removes every notice whose id starts with `prefix`. */
export function clearNotices(prefix = ''): void {
  for (const n of Array.from(byId('notices').querySelectorAll<HTMLElement>('[data-notice]'))) if (n.dataset.notice?.startsWith(prefix)) n.remove();
}

/** A line in the settings area's diagnostics (replacing one with the same id): for developers, not the reader. */
export function diagnose(id: string, text: string): void {
  const list = document.getElementById('diagnostics');
  if (!list) return; // a page without a settings area (the overview)
  list.querySelector(`[data-diagnostic="${CSS.escape(id)}"]`)?.remove();
  list.append(h('li', { 'data-diagnostic': id }, text));
}
