// The HTTP API: every call answers the record `infercost <command> --json` prints, or a 400 problem naming the field.

export interface Problem {
  status: number;
  title?: string;
  detail?: string;
  field?: string;
}

export class ApiError extends Error {
  constructor(public readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
}

async function parse<T>(response: Response): Promise<T> {
  const text = await response.text();
  const body = text.length > 0 ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError({ status: response.status, ...(body ?? {}) });
  return body as T;
}

export async function get<T>(path: string): Promise<T> {
  return parse<T>(await fetch(path, { headers: { Accept: "application/json" } }));
}

export async function post<T>(path: string, body: unknown): Promise<T> {
  return parse<T>(await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }));
}

export async function del<T>(path: string): Promise<T> {
  return parse<T>(await fetch(path, { method: "DELETE" }));
}

export interface JobStatus {
  id: string;
  question: string;
  state: "running" | "succeeded" | "failed" | "cancelled";
  progress: number;
  result?: unknown;
  error?: string;
  field?: string;
}

/** Starts a job and follows its server-sent events until it stops. */
export async function runJob<T>(question: string, body: unknown, onProgress: (p: number) => void, onStart: (id: string) => void): Promise<T> {
  const job = await post<JobStatus>(`/api/jobs/${question}`, body);
  onStart(job.id);
  return new Promise<T>((resolve, reject) => {
    const events = new EventSource(`/api/jobs/${job.id}/events`);
    events.addEventListener("progress", (e) => onProgress(JSON.parse((e as MessageEvent).data).progress));
    const finish = (e: Event) => {
      events.close();
      const status = JSON.parse((e as MessageEvent).data) as JobStatus;
      if (status.state === "succeeded") {
        onProgress(1);
        resolve(status.result as T);
      } else {
        reject(new ApiError({ status: 400, title: status.state, detail: status.error, field: status.field }));
      }
    };
    for (const name of ["succeeded", "failed", "cancelled"]) events.addEventListener(name, finish);
    events.onerror = () => {
      if (events.readyState === EventSource.CLOSED) reject(new ApiError({ status: 0, detail: "the event stream closed" }));
    };
  });
}
