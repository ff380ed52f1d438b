import { listSettings, SettingError, updateSetting } from '../settings/settings.js';
import { openCliDeps, parseArgs } from '../runtime/cliDeps.js';

const USAGE = 'usage: npm run cli -- settings get [KEY] | settings set KEY VALUE\n';

export async function settingsCommand(args: string[]): Promise<number> {
  const { positional } = parseArgs(args);
  const [sub, key, ...rest] = positional;
  if (sub !== 'get' && sub !== 'set') {
    process.stderr.write(USAGE);
    return 2;
  }
  if (sub === 'set' && (!key || rest.length === 0)) {
    process.stderr.write(USAGE);
    return 2;
  }
  const { deps, close } = await openCliDeps();
  try {
    if (sub === 'set') {
      try {
        const v = await updateSetting(deps, key!, rest.join(' '), 'cli');
        process.stdout.write(`${v.key} = ${v.value}（${v.label}）\n`);
        return 0;
      } catch (err) {
        if (err instanceof SettingError) {
          process.stderr.write(`${err.message}\n`);
          return 1;
        }
        throw err;
      }
    }
    const list = await listSettings(deps.db);
    const shown = key ? list.filter((v) => v.key === key || v.aliases.includes(key)) : list;
    if (key && shown.length === 0) {
      process.stderr.write(`no setting ${key}; known: ${list.map((v) => v.key).join(', ')}\n`);
      return 1;
    }
    for (const v of shown)
      process.stdout.write(
        `${v.key.padEnd(18)} ${v.value.padEnd(14)} ${v.label}（${v.aliases.join('/')}）${v.isDefault ? ' [默认]' : ` [默认 ${v.defaultValue}]`}\n`,
      );
    return 0;
  } finally {
    await close();
  }
}
