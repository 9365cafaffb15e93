/**
 * Background tasks a chat front end sends to the chat model, recognised so they are answered in
 * the shape they expect and never "corrected" (and never stored as traffic).
 *
 * OpenWebUI (checked against 0.12.4's templates in open_webui/config.py, utils/middleware.py,
 * utils/memory.py) sends each task as one user message rendered from a template that starts with
 * "### Task:" and asks for a JSON object with a known key ({"title": …}, {"follow_ups": […]},
 * {"tags": […]}, {"queries": […]}, {"prompt": …}, {"text": …}); tool selection as a system message
 * "Available Tools: …" asking for {"tool_calls": […]}; memory review as "Review the completed
 * conversation turn…" asking for {"operations": […]}; emoji and merge ("mixture of agents")
 * prompts as plain text. Custom templates keep the JSON contract, so the key decides.
 *
 * The answers are honest: this model only corrects sentences, so lists are empty, completions and
 * prompts empty, and the title is the start of the user's first message (what OpenWebUI itself
 * falls back to), redacted like any other text.
 */

export interface ChatTaskAnswer {
  /** What kind of task it was (for metrics and logs): "title", "follow_ups", … */
  task: string;
  /** The assistant message content to send back. */
  content: string;
}

type Message = { role: string; content: string };

const JSON_KEY = /\{\s*"(follow_ups|tags|title|queries|prompt|text|operations|tool_calls)"\s*:/;
const EMPTY: Record<string, unknown> = { follow_ups: [], tags: [], queries: [], prompt: '', text: '', operations: [], tool_calls: [] };

/**
 * The task answer when `messages` are a background task, else null (a sentence to correct).
 * `redact` cleans the words a derived title is made of.
 */
export function answerChatTask(messages: readonly Message[], redact: (text: string) => string): ChatTaskAnswer | null {
  const system = messages.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => m.content).join('\n');
  const user = [...messages].reverse().find((m) => m.role === 'user')?.content.trim() ?? '';
  if (/^Available Tools:/m.test(system) && system.includes('"tool_calls"')) return json('tool_calls');
  if (user.startsWith('Review the completed conversation turn and decide whether long-term memory should change')) return json('operations');
  if (user.startsWith("Your task is to reflect the speaker's likely facial expression")) return { task: 'emoji', content: '' };
  if (user.startsWith('You have been provided with a set of responses from various models')) return { task: 'merge_responses', content: '' };
  if (!user.startsWith('### Task:') && !user.includes('<chat_history>')) return null;
  const key = JSON_KEY.exec(user)?.[1];
  if (key === 'title') return { task: 'title', content: JSON.stringify({ title: titleFrom(user, redact) }) };
  if (key) return json(key);
  // A task without a known JSON contract (e.g. context compaction's summary): nothing to add.
  return { task: 'other', content: '' };
}

function json(key: string): ChatTaskAnswer {
  return { task: key, content: JSON.stringify({ [key]: EMPTY[key] }) };
}

/** The first words of the first user message in the template's <chat_history> ("USER: …" lines). */
function titleFrom(prompt: string, redact: (text: string) => string): string {
  const history = /<chat_history>([\s\S]*?)<\/chat_history>/.exec(prompt)?.[1] ?? '';
  const first = /^USER: (.+)$/m.exec(history)?.[1] ?? '';
  const words = redact(first).split(/\s+/).filter(Boolean);
  const title = words.slice(0, 6).join(' ').replace(/[.,;:!?]+$/, '');
  return words.length > 6 ? `${title}…` : title;
}
