// The page's markup (toolbar, error banner, graph frame, hover card, details drawer) and what the
// toolbar's buttons do.
import type { App } from './app';
import type { Host } from './host';

export function pageHtml(standalone: boolean): string {
  const button = richIcons() ? toolbarButton : plainButton;
  return `<div class="toolbar" role="toolbar" aria-label="Graph">` +
    `<span class="title"><i class="codicon codicon-type-hierarchy-sub"></i><span class="file"></span></span>` +
    `<vscode-textfield class="search" placeholder="Search name or op  ( / )" aria-label="Search nodes by name or op"><i slot="content-before" class="codicon codicon-search"></i></vscode-textfield>` +
    `<span class="matches muted" aria-live="polite"></span><span class="spacer"></span>` +
    button('fit', 'screen-full', 'Fit at a readable size (F); Shift: the whole graph') + button('zoom-in', 'zoom-in', 'Zoom in (+)') + button('zoom-out', 'zoom-out', 'Zoom out (−)') +
    button('collapse', 'collapse-all', 'Collapse all calls') + button('expand', 'expand-all', 'Expand all calls') +
    (standalone ? '' : button('retrace', 'refresh', 'Trace again')) + `</div>` +
    `<div class="banner" role="alert" hidden></div>` +
    `<div class="main"><div class="frame" tabindex="0" role="application" aria-label="Backward graph; arrows move between nodes, Enter opens details"><div class="status muted"></div>` +
    `<button class="jump-root" hidden title="Scroll to the root of the backward pass"><i class="codicon codicon-arrow-down"></i><span></span></button></div>` +
    `<div class="hovercard" role="tooltip" hidden></div>` +
    `<section class="drawer"><button class="drawer-handle" aria-expanded="false" aria-controls="gradlens-details"><i class="codicon codicon-chevron-up"></i><span class="handle-text"></span></button>` +
    `<aside class="details" id="gradlens-details" aria-label="Details"></aside></section></div>`;
}

export function wireToolbar(toolbar: Element, app: App, host: Host): void {
  toolbar.addEventListener('click', (e) => {
    const action = (e.target as Element).closest<HTMLElement>('[data-action]')?.dataset.action;
    if (!action) return;
    if (action === 'fit') app.fit((e as MouseEvent).shiftKey);
    else if (action === 'zoom-in') app.viewport?.zoomBy(1.25);
    else if (action === 'zoom-out') app.viewport?.zoomBy(0.8);
    else if (action === 'retrace') host.post({ type: 'retrace' });
    else if (app.model && (action === 'collapse' || action === 'expand')) {
      app.model.collapsed.clear();
      if (action === 'collapse') for (const g of app.model.groups) app.model.collapsed.add(g.key);
      void app.relayout(true);
    }
  });
}

/**
 * vscode-elements' icons draw codicons inside a shadow root, which needs the page's codicon
 * stylesheet as a <link id="vscode-codicon-stylesheet">. The VS Code panel links our bundle's
 * CSS (codicons included), so it qualifies; the standalone page inlines its CSS and gets plain
 * buttons with the same codicons instead.
 */
function richIcons(): boolean {
  if (document.getElementById('vscode-codicon-stylesheet')) return true;
  const link = [...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')].find((l) => /main\.css(\?|#|$)/.test(l.href));
  if (!link || !customElements.get('vscode-toolbar-button')) return false;
  link.id = 'vscode-codicon-stylesheet';
  return true;
}

function toolbarButton(action: string, icon: string, title: string): string {
  return `<vscode-toolbar-button class="icon-button" data-action="${action}" icon="${icon}" title="${title}" label="${title}"></vscode-toolbar-button>`;
}

function plainButton(action: string, icon: string, title: string): string {
  return `<button class="icon-button" data-action="${action}" title="${title}" aria-label="${title}"><i class="codicon codicon-${icon}"></i></button>`;
}
