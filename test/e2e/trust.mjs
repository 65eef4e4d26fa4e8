// Workspace Trust: in a folder the user did not trust (Restricted Mode), Trace Backward asks
// before running the file; "Cancel" runs nothing, "Run" traces.
import path from 'node:path';
import { launchBrowser, prepareRunDir, root, startCodeServer, waitForWorkbench } from './harness.mjs';
import { openFile, pickExample, traceButton, waitForGraph } from './browser.mjs';

export async function runTrustTest({ workspace, out }) {
  const runDir = prepareRunDir(path.join(out, 'run-trust'), {
    'security.workspace.trust.enabled': true,
    'security.workspace.trust.startupPrompt': 'always',
  });
  const server = await startCodeServer({ runDir, trust: true });
  const browser = await launchBrowser();
  const checks = [];
  const check = (ok, what) => {
    checks.push(ok);
    console.log(`  ${ok ? '✓' : '✗'} ${what}`);
  };
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    await page.goto(server.url(workspace, { extensionDevelopmentPath: root }));
    await waitForWorkbench(page);
    const no = page.locator('.monaco-dialog-box .monaco-button', { hasText: /No, I don.t trust/ });
    await no.waitFor({ timeout: 30_000 });
    await no.click();
    await page.locator('.monaco-dialog-box').waitFor({ state: 'detached', timeout: 10_000 });
    const example = pickExample(workspace);
    await openFile(page, example);
    await traceButton(page).waitFor({ state: 'visible', timeout: 30_000 });

    const dialog = page.locator('.monaco-dialog-box', { hasText: 'not trusted' });
    await traceButton(page).click();
    await dialog.waitFor({ timeout: 20_000 });
    check(true, 'in Restricted Mode, Trace Backward asks before running the file');
    await page.screenshot({ path: path.join(out, 'untrusted-prompt.png') });
    await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await page.waitForTimeout(1500);
    check(await page.locator('iframe.webview').count() === 0, '"Cancel" runs nothing (no panel)');

    await traceButton(page).click();
    await dialog.waitFor({ timeout: 20_000 });
    await dialog.locator('.monaco-button', { hasText: /^Run$/ }).click();
    await waitForGraph(page);
    check(true, '"Run" traces the file');
  } catch (e) {
    check(false, String(e && e.stack || e));
    await page.screenshot({ path: path.join(out, 'trust-failure.png') }).catch(() => undefined);
  } finally {
    await browser.close();
    await server.stop();
  }
  return checks.length > 0 && checks.every(Boolean);
}
