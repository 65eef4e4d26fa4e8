// Starting the runtime before the first click: Pyodide takes seconds to load, tracing a course
// file a fraction of one. Warming loads the interpreter only; it runs no user code.
import * as vscode from 'vscode';

/** Files worth warming the worker for: they use torch or call backward. */
const LOOKS_LIKE_A_MODEL = /^\s*(import torch|from torch\b)|\.backward\s*\(/m;
/** The worker loads in its own thread: a short delay only lets the window settle after opening a file. */
const WARM_DELAY_MS = 200;
/** At start-up, at most this many Python files of the workspace are read to decide. */
const FILES_TO_CHECK = 20;
const NOT_THE_USERS_CODE = '**/{node_modules,.git,.venv,venv,env,site-packages,__pycache__}/**';

export class Warmer implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private disposed = false;

  constructor(private readonly start: () => void) {}

  /** A model file is shown: start a moment later. */
  forDocument(doc: vscode.TextDocument | undefined): void {
    if (this.started || this.timer || !doc || doc.languageId !== 'python' || !LOOKS_LIKE_A_MODEL.test(doc.getText())) return;
    this.timer = setTimeout(() => this.fire(), WARM_DELAY_MS);
  }

  /** A window opened on a PyTorch project: the runtime loads while the user opens a file. */
  async forWorkspace(): Promise<void> {
    let files: vscode.Uri[];
    try {
      files = await vscode.workspace.findFiles('**/*.py', NOT_THE_USERS_CODE, FILES_TO_CHECK);
    } catch {
      return; // no search here: the first model file shown still warms it
    }
    for (const file of files) {
      if (this.started || this.disposed) return;
      try {
        const head = Buffer.from(await vscode.workspace.fs.readFile(file)).subarray(0, 65536).toString('utf8');
        if (LOOKS_LIKE_A_MODEL.test(head)) return this.fire();
      } catch {
        // Unreadable: the next file decides.
      }
    }
  }

  private fire(): void {
    clearTimeout(this.timer);
    if (this.started || this.disposed) return;
    this.started = true;
    this.start();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
  }
}
