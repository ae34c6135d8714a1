import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { CommandCore } from '../../src/commands/core';
import type { Caller } from '../../src/commands/ports/tenancy';
import type { Button } from '../../src/chat/reply';
import { renderText, replyButtons } from '../../src/chat/render-text';
import { noHomeView, type ChatPlatform } from '../chat-platform';

export interface ConsoleOptions {
  core: CommandCore;
  caller: Caller;
  input: Readable;
  output: Writable;
  /** ANSI bold and dim (a terminal). */
  color?: boolean;
  /** First lines shown, e.g. who and which integration. */
  greeting?: string;
  /** Ends the conversation as the end of input does. */
  signal?: AbortSignal;
}

const YES = /^(y|yes)$/i;

/**
 * The console's loop: reads a line, answers it through the command core, prints the reply as
 * text with its buttons numbered, and runs a button's action when its number is typed (asking
 * first when the button has a confirmation). Ends at the end of input or on `exit`.
 */
export async function runConsole({
  core,
  caller,
  input,
  output,
  color = false,
  greeting,
  signal,
}: ConsoleOptions): Promise<void> {
  const rl = createInterface({ input, output, terminal: Boolean((output as { isTTY?: boolean }).isTTY) });
  rl.on('SIGINT', () => rl.close());
  signal?.addEventListener('abort', () => rl.close(), { once: true });
  const lines = rl[Symbol.asyncIterator]();
  const write = (text: string) => output.write(`${text}\n`);
  const ask = async (prompt: string): Promise<string | undefined> => {
    output.write(prompt);
    const next = await lines.next();
    return next.done ? undefined : next.value;
  };

  if (greeting) write(greeting);
  let buttons: Button[] = [];
  try {
    for (;;) {
      const line = await ask('iex> ');
      if (line === undefined) break;
      const typed = line.trim();
      if (!typed) continue;
      if (/^(exit|quit)$/i.test(typed)) break;

      let reply;
      if (/^\d+$/.test(typed)) {
        const button = buttons[Number(typed) - 1];
        if (!button) {
          write(
            buttons.length > 0
              ? `There is no button ${typed}: choose 1 to ${buttons.length}.`
              : 'There are no buttons to press: run a command first.',
          );
          continue;
        }
        if (button.url) {
          write(`Open ${button.url}`);
          continue;
        }
        if (button.confirm) {
          write(`${button.confirm.title}\n${button.confirm.text}`);
          const answer = await ask(`${button.confirm.confirm}? [y/N] `);
          if (answer === undefined) break;
          if (!YES.test(answer.trim())) {
            write(`${button.confirm.deny}: nothing was done.`);
            continue;
          }
        }
        reply = await core.handleAction(caller, button.action ?? '');
      } else {
        reply = await core.handleCommand(caller, typed.replace(/^\/?iex(\s+|$)/i, ''));
      }
      write(renderText(reply, { color }));
      buttons = replyButtons(reply);
    }
  } finally {
    rl.close();
  }
}

/**
 * Whoever runs the console acts as the tenant's owner, in a workspace of its own per tenant. It
 * answers in the tenant's language unless the operator asks for one (`--language`).
 */
export function consoleCaller(tenantId: string, user: string, language?: string): Caller {
  return {
    platform: 'console',
    userId: user,
    workspaceId: tenantId,
    displayName: user,
    ...(language ? { locale: language } : {}),
  };
}

export interface ConsolePlatform extends ChatPlatform {
  /** Settles when the conversation ends: at the end of input, on `exit`, or at `stop()`. */
  readonly finished: Promise<void>;
}

/**
 * The terminal as a chat platform: no HTTP routes, no alert channel, no home view. `start()` opens
 * the conversation, `stop()` ends it. The core names people here by the name the caller gave.
 */
export function createConsolePlatform(options: Omit<ConsoleOptions, 'signal'>): ConsolePlatform {
  const abort = new AbortController();
  let begin!: () => void;
  const begun = new Promise<void>((resolve) => (begin = resolve));
  const finished = begun.then(() => runConsole({ ...options, signal: abort.signal }));
  return {
    name: 'console',
    routes: [],
    finished,
    async start() {
      begin();
    },
    async stop() {
      abort.abort();
      begin();
      await finished;
    },
    refreshHome: noHomeView,
  };
}
