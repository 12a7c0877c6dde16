import path from 'node:path';
import ts from 'typescript';
import { UI_DIR } from './support/browser';

/**
 * The UI is plain browser JavaScript checked by TypeScript through JSDoc (`// @ts-check`), with its own
 * tsconfig (DOM, ES modules, no build). The root `tsc -p .` does not see .js files, so this keeps the UI's types
 * part of `npm test`.
 */
describe('the web UI scripts', () => {
  it('type-check under their own strict tsconfig', () => {
    const configPath = path.join(UI_DIR, 'tsconfig.json');
    const { config, error } = ts.readConfigFile(configPath, (file) => ts.sys.readFile(file));
    expect(error).toBeUndefined();
    const parsed = ts.parseJsonConfigFileContent(config, ts.sys, UI_DIR);
    expect(parsed.fileNames.length).toBeGreaterThan(10);
    const program = ts.createProgram(parsed.fileNames, parsed.options);
    const problems = ts.getPreEmitDiagnostics(program).map((d) =>
      ts.formatDiagnostic(d, {
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => UI_DIR,
        getNewLine: () => '\n',
      }),
    );
    expect(problems).toEqual([]);
  });
});
