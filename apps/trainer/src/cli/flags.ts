// Every flag the CLI takes is parsed here, once, while commander reads the command line: numbers, positive
// integers, lists, enums, UTC days, ports. A bad value is a UsageError (exit 2) whose one line names the flag, the
// value and what is accepted; the program adds "see `coinsphere <command> --help`". Commands receive typed
// values and never re-check them. Must not import a command or a job.
import { ASSET_SYMBOL_MAX_CHARS, normalizeAssetSymbol } from '@coinsphere/model/core';
import { Option, type Command } from 'commander';
import { CliError, commandPath } from './errors.ts';

/** A mistake in the command line: exit 2, one line, and (added by the program) where the help is. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

/** A flag given a value it does not accept. */
export class FlagError extends UsageError {
  constructor(readonly flag: string, readonly value: string, readonly accepted: string) {
    super(`Bad ${flag} "${value}": should be ${accepted}.`);
    this.name = 'FlagError';
  }
}

/** Turns one flag's text into its value, or throws FlagError naming the flag; `accepted` says what is allowed. */
export interface FlagParser<T> {
  accepted: string;
  parse(text: string, flag: string): T;
}

function parser<T>(accepted: string, parse: (text: string) => T | undefined): FlagParser<T> {
  return {
    accepted,
    parse(text, flag) {
      const value = parse(text.trim());
      if (value === undefined) throw new FlagError(flag, text, accepted);
      return value;
    },
  };
}

/** A finite number in [min, max]. */
export function numberIn(min: number, max = Infinity): FlagParser<number> {
  const accepted = max === Infinity ? `a number >= ${min}` : `a number from ${min} to ${max}`;
  return parser(accepted, (t) => {
    const n = t === '' ? Number.NaN : Number(t);
    return Number.isFinite(n) && n >= min && n <= max ? n : undefined;
  });
}

/** An integer in [min, max] (positiveInt = intIn(1)). */
export function intIn(min: number, max = Infinity): FlagParser<number> {
  const accepted = max === Infinity ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
  return parser(accepted, (t) => {
    const n = /^-?\d+$/.test(t) ? Number(t) : Number.NaN;
    return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
  });
}

/** An integer >= 1. */
export const positiveInt = intIn(1);

/** A TCP port (0 picks a free one). */
export const port = intIn(0, 65535);

/** One of `values`. */
export function oneOf<const V extends string>(values: readonly V[]): FlagParser<V> {
  return parser(`one of: ${values.join(', ')}`, (t) => (values as readonly string[]).includes(t) ? (t as V) : undefined);
}

/** An asset symbol, upper-cased, by the one symbol rule (normalizeAssetSymbol). */
export const symbol = parser(`a symbol of letters and digits (1 to ${ASSET_SYMBOL_MAX_CHARS}), e.g. BTC`, (t) => normalizeAssetSymbol(t) ?? undefined);

/** A comma-separated list, each item parsed by `item`; empty items are dropped, an empty list is refused. */
export function listOf<T>(item: FlagParser<T>, example: string): FlagParser<T[]> {
  const accepted = `a comma-separated list such as ${example}, each ${item.accepted}`;
  return {
    accepted,
    parse(text, flag) {
      const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
      if (parts.length === 0) throw new FlagError(flag, text, accepted);
      return parts.map((p) => {
        try {
          return item.parse(p, flag);
        } catch {
          throw new FlagError(flag, text, accepted);
        }
      });
    },
  };
}

/** Symbols such as BTC,ETH,SOL. */
export const symbolList = listOf(symbol, 'BTC,ETH,SOL');

/** Horizons in days such as 7,14,30. */
export const horizonList = listOf(intIn(1, 365), '7,14,30');

/** A UTC day `YYYY-MM-DD`, as epoch ms. */
export const day = parser('a UTC day as YYYY-MM-DD, e.g. 2017-01-01', (t) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  return m && new Date(ms).toISOString().slice(0, 10) === t ? ms : undefined;
});

/** An http(s) URL. */
export const httpUrl = parser('an http(s) URL such as https://example.org', (t) => {
  try {
    return /^https?:$/.test(new URL(t).protocol) ? t : undefined;
  } catch {
    return undefined;
  }
});

/** `SYM=value,SYM=value` into { SYM: value }. */
export function symbolMap(example: string): FlagParser<Record<string, string>> {
  return parser(`SYM=value entries such as ${example}`, (t) => {
    const out: Record<string, string> = {};
    for (const part of t.split(',')) {
      const [sym, value, extra] = part.split('=').map((s) => s.trim());
      if (!sym || !value || extra !== undefined) return undefined;
      out[sym.toUpperCase()] = value;
    }
    return out;
  });
}

/** Wraps a parser written elsewhere (it throws an Error with its own message) so its failures are usage errors. */
export function fromThrowing<T>(accepted: string, parse: (text: string) => T): FlagParser<T> {
  return {
    accepted,
    parse(text, flag) {
      try {
        return parse(text);
      } catch (error) {
        const message = (error as Error).message;
        throw new UsageError(message.includes(flag) ? message : `Bad ${flag} "${text}": ${message}`);
      }
    },
  };
}

/**
 * Adds an option whose value `p` parses while commander reads the line; `fallback` is its value when absent,
 * shown in --help as `fallbackText` (default: the value). The long name (`--epochs`) is what errors name.
 */
export function flag<T>(command: Command, flags: string, description: string, p: FlagParser<T>, fallback?: T, fallbackText?: string): Command {
  return command.addOption(parsedOption(command, flags, description, p, fallback, fallbackText));
}

/** Like flag, for an option the command cannot run without (commander refuses its absence, exit 2). */
export function requiredFlag<T>(command: Command, flags: string, description: string, p: FlagParser<T>): Command {
  return command.addOption(parsedOption(command, flags, description, p).makeOptionMandatory());
}

function parsedOption<T>(command: Command, flags: string, description: string, p: FlagParser<T>, fallback?: T, fallbackText?: string): Option {
  const option = new Option(flags, description);
  const name = option.long ?? option.short ?? flags;
  option.argParser((text: string) => {
    try {
      return p.parse(text, name);
    } catch (error) {
      if (error instanceof CliError) error.command ??= commandPath(command); // the help to point at
      throw error;
    }
  });
  if (fallback !== undefined) option.default(fallback, fallbackText ?? (Array.isArray(fallback) ? fallback.join(',') : String(fallback)));
  return option;
}
