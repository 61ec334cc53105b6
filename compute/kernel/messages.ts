// The Jupyter messaging protocol (version 5.3), the part a notebook kernel in a worker speaks: execute requests and
// replies, status, streams, rich displays and errors. Field names are the spec's, so messages can be kept and exported.

/** A MIME bundle: `text/plain`, `text/html`, `image/png` (base64), `application/json`… → the value in that type. */
export type MimeBundle = Record<string, unknown>;

export interface MessageHeader {
  msg_id: string;
  session: string;
  username: string;
  /** ISO 8601. */
  date: string;
  msg_type: string;
  version: '5.3';
}

export interface ExecuteRequestContent {
  code: string;
  silent: boolean;
  store_history: boolean;
  user_expressions: Record<string, string>;
  allow_stdin: boolean;
  stop_on_error: boolean;
}

export interface StatusContent {
  execution_state: 'busy' | 'idle' | 'starting';
}
export interface StreamContent {
  name: 'stdout' | 'stderr';
  text: string;
}
export interface DisplayDataContent {
  data: MimeBundle;
  metadata: Record<string, unknown>;
  transient?: { display_id?: string };
}
export interface ExecuteResultContent extends DisplayDataContent {
  execution_count: number;
}
export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}
export interface ExecuteInputContent {
  code: string;
  execution_count: number;
}
export type ExecuteReplyContent =
  | { status: 'ok'; execution_count: number; user_expressions: Record<string, unknown> }
  | ({ status: 'error'; execution_count: number } & ErrorContent)
  | { status: 'aborted'; execution_count: number | null };

/** The content of each message type this kernel sends or takes. */
export interface ContentOf {
  execute_request: ExecuteRequestContent;
  execute_reply: ExecuteReplyContent;
  execute_input: ExecuteInputContent;
  status: StatusContent;
  stream: StreamContent;
  display_data: DisplayDataContent;
  execute_result: ExecuteResultContent;
  error: ErrorContent;
}
export type MessageType = keyof ContentOf;

export interface JupyterMessage<T extends MessageType = MessageType> {
  header: MessageHeader & { msg_type: T };
  /** The header of the request this answers; `{}` for a request. */
  parent_header: MessageHeader | Record<string, never>;
  metadata: Record<string, unknown>;
  content: ContentOf[T];
  channel?: 'shell' | 'iopub';
}

/** The message types a cell's outputs are made of (kept as Output documents, exported to .ipynb). */
export const OUTPUT_TYPES = ['stream', 'display_data', 'execute_result', 'error'] as const;
export type OutputType = (typeof OUTPUT_TYPES)[number];

export function isOutputType(type: string): type is OutputType {
  return (OUTPUT_TYPES as readonly string[]).includes(type);
}

/** A new message; `parent` is the request it answers (none for a request). */
export function makeMessage<T extends MessageType>(
  msgType: T,
  content: ContentOf[T],
  { session, parent, channel }: { session: string; parent?: MessageHeader; channel?: 'shell' | 'iopub' },
): JupyterMessage<T> {
  return {
    header: { msg_id: crypto.randomUUID(), session, username: 'fieldscope', date: new Date().toISOString(), msg_type: msgType, version: '5.3' },
    parent_header: parent ?? {},
    metadata: {},
    content,
    ...(channel ? { channel } : {}),
  };
}

/** The msg_id of the request a message answers, or undefined for a request. */
export function parentMsgId(message: JupyterMessage): string | undefined {
  const parent = message.parent_header as Partial<MessageHeader>;
  return typeof parent.msg_id === 'string' ? parent.msg_id : undefined;
}
