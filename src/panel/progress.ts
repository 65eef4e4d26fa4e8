// The progress notification of a running trace, with its Cancel button. It appears only once a
// trace has run for a moment: a quick re-trace should not flash one, nor share the two cores with
// its animation.
import * as vscode from 'vscode';
import type { Trace } from '../shared/trace';

/** How long a trace runs before its progress notification (and Cancel button) shows. */
const PROGRESS_DELAY_MS = 700;

export function withDelayedProgress(name: string, promise: Promise<Trace>, cancel: () => void): Promise<Trace> {
  const notify = setTimeout(() => {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Gradlens: tracing ${name}`, cancellable: true },
      (_progress, token) => {
        token.onCancellationRequested(cancel);
        return promise;
      },
    );
  }, PROGRESS_DELAY_MS);
  return promise.finally(() => clearTimeout(notify));
}
