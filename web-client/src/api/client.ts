// A small typed client for the Tribuna API, on top of the types generated from the server's
// OpenAPI document (src/api/schema.d.ts, `npm run gen:api`).
//
// - Cookies: the session is an HttpOnly cookie; requests are same-origin and send it.
// - CSRF: login, register and /api/me return `csrf_token`; the client remembers it and sends
//   it as `X-CSRF-Token` on every non-GET request.
// - Errors: `{"error": {"code", "message"}}` bodies become an `ApiError`; a network failure is
//   an `ApiError` with status 0 and code `network_error`.
import type { components, operations } from './schema';

type Schemas = components['schemas'];
export type Account = Schemas['AccountView'];
export type Role = Schemas['Role'];
export type SessionInfo = Schemas['SessionResponse'];
export type AuditEntry = Schemas['AuditEntryView'];
export type ChainReport = Schemas['ChainReport'];
export type RegisterRequest = Schemas['RegisterRequest'];
export type LoginRequest = Schemas['LoginRequest'];
export type ErrorBody = Schemas['ErrorBody'];
export type LawyerCard = Schemas['LawyerCard'];
export type SearchPage = Schemas['SearchPage'];
export type Slot = Schemas['Slot'];
export type SlotList = Schemas['SlotList'];
export type RatingDetail = Schemas['RatingDetail'];
export type OwnProfile = Schemas['OwnProfile'];
export type ProfileRequest = Schemas['ProfileRequest'];
export type AvailabilityDoc = Schemas['AvailabilityDoc'];
export type Payment = Schemas['Payment'];
export type CheckoutView = Schemas['CheckoutView'];
export type LegalSession = Schemas['Session'];
export type Cancellation = Schemas['Cancellation'];
export type JoinTicket = Schemas['JoinTicket'];
export type Review = Schemas['ReviewView'];
export type ModerationReason = Schemas['ModerationReason'];
export type Ticket = Schemas['Ticket'];
export type Outcome = Schemas['Outcome'];
export type Invite = Schemas['Invite'];
export type NewInvite = Schemas['NewInvite'];
export type Visit = Schemas['Visit'];
export type PartnerReport = Schemas['PartnerReport'];
export type Statement = Schemas['Statement'];
export type LedgerEntry = Schemas['EntryView'];
export type Totals = Schemas['Totals'];
export type Payout = Schemas['Payout'];
export type CommissionRules = Schemas['CommissionRules'];
export type RecordingRow = Schemas['AdminRecording'];
export type RecordingView = Schemas['RecordingView'];
export type RecordingRequest = Schemas['RequestView'];
export type ContractSummary = Schemas['ContractSummary'];
export type ContractDetail = Schemas['ContractDetail'];
export type ContractVersion = Schemas['VersionView'];
export type ContractStatus = Schemas['ContractStatus'];
export type ContractKind = Schemas['ContractKind'];
export type ContractTemplate = Schemas['Template'];
export type ConsultationTerms = Schemas['TermsView'];
export const MODERATION_REASONS: readonly ModerationReason[] = ['abuse', 'personal_data', 'off_topic'];
export const OUTCOMES: readonly Outcome[] = ['refund_client', 'pay_lawyer', 'warn', 'dismiss'];
/** A period of a report or statement (RFC 3339 instants). */
export interface Period {
  from?: string | undefined;
  to?: string | undefined;
}
export type VerificationStatus = 'pending' | 'verified' | 'rejected';
export const VERIFICATION_STATUSES: readonly VerificationStatus[] = ['pending', 'verified', 'rejected'];

export const ROLES: readonly Role[] = ['CLIENT', 'LAWYER', 'PARTNER', 'ADMIN'];
export const SELF_SERVICE_ROLES = ['CLIENT', 'LAWYER', 'PARTNER'] as const satisfies readonly Role[];

/** The JSON body of an operation's response with the given status. */
type JsonOf<K extends keyof operations, S extends keyof operations[K]['responses']> =
  operations[K]['responses'][S] extends { content: { 'application/json': infer B } } ? B : never;

/** The filters of a list operation. The server's document currently declares them as path
 *  parameters (they are query parameters); take them from wherever the document puts them. */
type FiltersOf<K extends keyof operations> = operations[K]['parameters'] extends infer P
  ? P extends { query?: infer Q; path?: infer R }
    ? [NonNullable<Q>] extends [never]
      ? Partial<NonNullable<R>>
      : Partial<NonNullable<Q>>
    : never
  : never;

export type UserFilters = FiltersOf<'list_users'>;
export type AuditFilters = FiltersOf<'list_entries'>;
export type LawyerSearch = FiltersOf<'search'>;
export type SlotRange = FiltersOf<'slots'>;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Seconds to wait before retrying, from `Retry-After` (429). */
  readonly retryAfterSeconds: number | null;

  constructor(status: number, code: string, message: string, retryAfterSeconds: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export function isApiError(e: unknown, code?: string): e is ApiError {
  return e instanceof ApiError && (code === undefined || e.code === code);
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type QueryValue = string | number | boolean | null | undefined;

export interface ApiClientOptions {
  /** Prefix for every path; empty for the same origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
}

function isErrorBody(v: unknown): v is ErrorBody {
  if (typeof v !== 'object' || v === null || !('error' in v)) return false;
  const e = (v as { error: unknown }).error;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { code?: unknown }).code === 'string' &&
    typeof (e as { message?: unknown }).message === 'string'
  );
}

function parseRetryAfter(value: string | null): number | null {
  if (value === null) return null;
  const n = Number(value.trim());
  return Number.isFinite(n) && n >= 0 ? Math.ceil(n) : null;
}

/** Turns a failed response into an ApiError, whatever its body. */
export async function toApiError(res: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(res.headers.get('Retry-After'));
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON (e.g. a bare 500 or a proxy's page): fall through to a generic code.
  }
  if (isErrorBody(body)) {
    return new ApiError(res.status, body.error.code, body.error.message, retryAfter);
  }
  const code = res.status >= 500 ? 'server_error' : `http_${res.status}`;
  return new ApiError(res.status, code, res.statusText || `HTTP ${res.status}`, retryAfter);
}

export function queryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === null || v === undefined || v === '') continue;
    params.append(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

export class ApiClient {
  private readonly baseUrl: string;
  private readonly fetchFn: typeof fetch;
  private csrfToken: string | null = null;
  private unauthenticatedListeners = new Set<() => void>();

  constructor(options: ApiClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? '';
    this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** Called when a request is refused because the session is gone (expired or revoked). */
  onUnauthenticated(listener: () => void): () => void {
    this.unauthenticatedListeners.add(listener);
    return () => this.unauthenticatedListeners.delete(listener);
  }

  setCsrfToken(token: string | null): void {
    this.csrfToken = token;
  }

  async request<T>(
    method: Method,
    path: string,
    options: { query?: Record<string, QueryValue>; body?: unknown } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && this.csrfToken) headers['X-CSRF-Token'] = this.csrfToken;
    let res: Response;
    try {
      res = await this.fetchFn(this.baseUrl + path + queryString(options.query), {
        method,
        headers,
        credentials: 'same-origin',
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
    } catch (e) {
      throw new ApiError(0, 'network_error', e instanceof Error ? e.message : String(e));
    }
    if (!res.ok) {
      const error = await toApiError(res);
      if (error.code === 'unauthenticated') {
        this.csrfToken = null;
        this.unauthenticatedListeners.forEach((l) => l());
      }
      throw error;
    }
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  private remember(session: SessionInfo): SessionInfo {
    this.csrfToken = session.csrf_token;
    return session;
  }

  // --- auth -------------------------------------------------------------------------------

  async register(body: RegisterRequest): Promise<JsonOf<'register', 201>> {
    return this.remember(await this.request('POST', '/api/auth/register', { body }));
  }

  async login(body: LoginRequest): Promise<JsonOf<'login', 200>> {
    return this.remember(await this.request('POST', '/api/auth/login', { body }));
  }

  async logout(): Promise<void> {
    try {
      await this.request<void>('POST', '/api/auth/logout');
    } finally {
      this.csrfToken = null;
    }
  }

  /** The signed-in user, or null when nobody is (401). */
  async me(): Promise<JsonOf<'me', 200> | null> {
    try {
      return this.remember(await this.request('GET', '/api/me'));
    } catch (e) {
      if (isApiError(e) && e.status === 401) return null;
      throw e;
    }
  }

  // --- accounts ---------------------------------------------------------------------------

  user(id: string): Promise<JsonOf<'get_account', 200>> {
    return this.request('GET', `/api/users/${encodeURIComponent(id)}`);
  }

  // --- admin ------------------------------------------------------------------------------

  listUsers(filters: UserFilters = {}): Promise<JsonOf<'list_users', 200>> {
    return this.request('GET', '/api/admin/users', { query: filters });
  }

  suspendUser(id: string, reason: string): Promise<JsonOf<'suspend_user', 200>> {
    return this.request('POST', `/api/admin/users/${encodeURIComponent(id)}/suspend`, { body: { reason } });
  }

  restoreUser(id: string, reason: string): Promise<JsonOf<'restore_user', 200>> {
    return this.request('POST', `/api/admin/users/${encodeURIComponent(id)}/restore`, { body: { reason } });
  }

  listAudit(filters: AuditFilters = {}): Promise<JsonOf<'list_entries', 200>> {
    return this.request('GET', '/api/admin/audit', { query: filters });
  }

  verifyAudit(): Promise<JsonOf<'verify_chain', 200>> {
    return this.request('GET', '/api/admin/audit/verify');
  }

  adminLawyers(status: VerificationStatus): Promise<JsonOf<'list_lawyers', 200>> {
    return this.request('GET', '/api/admin/lawyers', { query: { status } });
  }

  verifyLawyer(id: string, reason: string): Promise<JsonOf<'verify_lawyer', 200>> {
    return this.request('POST', `/api/admin/lawyers/${encodeURIComponent(id)}/verify`, { body: { reason } });
  }

  rejectLawyer(id: string, reason: string): Promise<JsonOf<'reject_lawyer', 200>> {
    return this.request('POST', `/api/admin/lawyers/${encodeURIComponent(id)}/reject`, { body: { reason } });
  }

  // --- a lawyer's own profile and availability -------------------------------------------

  /** The calling lawyer's profile, or null before the first save (404 `not_onboarded`). */
  async myProfile(): Promise<JsonOf<'get_profile', 200> | null> {
    try {
      return await this.request('GET', '/api/lawyer/profile');
    } catch (e) {
      if (isApiError(e, 'not_onboarded')) return null;
      throw e;
    }
  }

  saveProfile(body: ProfileRequest): Promise<JsonOf<'put_profile', 200>> {
    return this.request('PUT', '/api/lawyer/profile', { body });
  }

  /** The calling lawyer's availability, or null before the profile exists. */
  async myAvailability(): Promise<JsonOf<'get_availability', 200> | null> {
    try {
      return await this.request('GET', '/api/lawyer/availability');
    } catch (e) {
      if (isApiError(e, 'not_onboarded')) return null;
      throw e;
    }
  }

  saveAvailability(body: AvailabilityDoc): Promise<JsonOf<'put_availability', 200>> {
    return this.request('PUT', '/api/lawyer/availability', { body });
  }

  // --- the public directory --------------------------------------------------------------

  searchLawyers(filters: LawyerSearch = {}): Promise<JsonOf<'search', 200>> {
    return this.request('GET', '/api/lawyers', { query: filters });
  }

  lawyer(id: string): Promise<JsonOf<'profile', 200>> {
    return this.request('GET', `/api/lawyers/${encodeURIComponent(id)}`);
  }

  lawyerSlots(id: string, range: SlotRange = {}): Promise<JsonOf<'slots', 200>> {
    return this.request('GET', `/api/lawyers/${encodeURIComponent(id)}/slots`, { query: range });
  }

  lawyerRating(id: string): Promise<JsonOf<'rating', 200>> {
    return this.request('GET', `/api/lawyers/${encodeURIComponent(id)}/rating`);
  }

  // --- payments --------------------------------------------------------------------------

  /** Starts paying for a consultation, accepting the consultation terms whose text hashes to
   *  `termsSha256`; send the browser to `checkout_url`. */
  createCheckout(lawyerId: string, termsSha256: string): Promise<JsonOf<'create_session', 201>> {
    return this.request('POST', '/api/checkout/create-session', { body: { lawyer_id: lawyerId, terms_sha256: termsSha256 } });
  }

  /** The consultation terms this client accepts by paying this lawyer. */
  consultationTerms(lawyerId: string): Promise<ConsultationTerms> {
    return this.request('GET', `/api/lawyers/${encodeURIComponent(lawyerId)}/consultation-terms`);
  }

  payments(): Promise<JsonOf<'my_payments', 200>> {
    return this.request('GET', '/api/payments');
  }

  payment(id: string): Promise<JsonOf<'payment', 200>> {
    return this.request('GET', `/api/payments/${encodeURIComponent(id)}`);
  }

  // --- sessions --------------------------------------------------------------------------

  schedule(body: { payment_id: string; start: string; legal_mode: boolean }): Promise<JsonOf<'schedule', 201>> {
    return this.request('POST', '/api/sessions/schedule', { body });
  }

  sessions(): Promise<JsonOf<'my_sessions', 200>> {
    return this.request('GET', '/api/sessions');
  }

  session(id: string): Promise<JsonOf<'session', 200>> {
    return this.request('GET', `/api/sessions/${encodeURIComponent(id)}`);
  }

  reschedule(id: string, start: string): Promise<JsonOf<'reschedule', 200>> {
    return this.request('POST', `/api/sessions/${encodeURIComponent(id)}/reschedule`, { body: { start } });
  }

  cancelSession(id: string, reason: string): Promise<JsonOf<'cancel', 200>> {
    return this.request('POST', `/api/sessions/${encodeURIComponent(id)}/cancel`, { body: { reason } });
  }

  join(id: string): Promise<JsonOf<'join', 200>> {
    return this.request('GET', `/api/sessions/${encodeURIComponent(id)}/join`);
  }

  /** A room ticket for a development room (`dev-…`); 404 unless the server runs with dev rooms on. */
  devRoomJoin(room: string): Promise<JsonOf<'dev_room_ticket', 200>> {
    return this.request('POST', `/api/dev/rooms/${encodeURIComponent(room)}/join`);
  }

  // --- reviews ---------------------------------------------------------------------------

  postReview(sessionId: string, body: { rating: number; comment: string }): Promise<JsonOf<'post_review', 201>> {
    return this.request('POST', `/api/sessions/${encodeURIComponent(sessionId)}/review`, { body });
  }

  lawyerReviews(lawyerId: string): Promise<JsonOf<'lawyer_reviews', 200>> {
    return this.request('GET', `/api/lawyers/${encodeURIComponent(lawyerId)}/reviews`);
  }

  replyToReview(id: string, text: string): Promise<JsonOf<'reply', 200>> {
    return this.request('POST', `/api/reviews/${encodeURIComponent(id)}/reply`, { body: { text } });
  }

  adminReviews(hidden?: boolean): Promise<JsonOf<'list_reviews', 200>> {
    return this.request('GET', '/api/admin/reviews', { query: { hidden } });
  }

  hideReview(id: string, reason: ModerationReason, note: string): Promise<JsonOf<'hide_review', 200>> {
    return this.request('POST', `/api/admin/reviews/${encodeURIComponent(id)}/hide`, { body: { reason, note } });
  }

  restoreReview(id: string, note: string): Promise<JsonOf<'restore_review', 200>> {
    return this.request('POST', `/api/admin/reviews/${encodeURIComponent(id)}/restore`, { body: { note } });
  }

  // --- support ---------------------------------------------------------------------------

  reportNoShow(sessionId: string, body: string): Promise<JsonOf<'report_no_show', 201>> {
    return this.request('POST', `/api/sessions/${encodeURIComponent(sessionId)}/no-show`, { body: { body } });
  }

  contactSupport(subject: string, body: string): Promise<JsonOf<'contact', 201>> {
    return this.request('POST', '/api/support/tickets', { body: { subject, body } });
  }

  myTickets(): Promise<JsonOf<'my_tickets', 200>> {
    return this.request('GET', '/api/support/tickets');
  }

  ticket(id: string): Promise<JsonOf<'ticket', 200>> {
    return this.request('GET', `/api/support/tickets/${encodeURIComponent(id)}`);
  }

  supportQueue(status: 'open' | 'resolved'): Promise<JsonOf<'queue', 200>> {
    return this.request('GET', '/api/admin/support', { query: { status } });
  }

  resolveTicket(id: string, outcome: Outcome, note: string): Promise<JsonOf<'resolve', 200>> {
    return this.request('POST', `/api/admin/support/${encodeURIComponent(id)}/resolve`, { body: { outcome, note } });
  }

  // --- referrals, the ledger and payouts -------------------------------------------------

  /** Records a visit with an invite code (public); 404 when the code is unknown, revoked, expired or used up. */
  visitInvite(code: string): Promise<JsonOf<'visit', 201>> {
    return this.request('POST', `/api/invites/${encodeURIComponent(code)}/visit`);
  }

  invites(): Promise<JsonOf<'list_invites', 200>> {
    return this.request('GET', '/api/partner/invites');
  }

  createInvite(body: NewInvite): Promise<JsonOf<'create_invite', 201>> {
    return this.request('POST', '/api/partner/invites', { body });
  }

  revokeInvite(id: string): Promise<JsonOf<'revoke_invite', 200>> {
    return this.request('POST', `/api/partner/invites/${encodeURIComponent(id)}/revoke`);
  }

  partnerReport(period: Period = {}): Promise<JsonOf<'partner_report', 200>> {
    return this.request('GET', '/api/partner/reports', { query: { ...period } });
  }

  /** The partner report as CSV (a plain GET with the session cookie). */
  partnerReportCsvUrl(period: Period = {}): string {
    return `${this.baseUrl}/api/partner/reports${queryString({ ...period, format: 'csv' })}`;
  }

  lawyerStatement(period: Period = {}): Promise<JsonOf<'lawyer_statement', 200>> {
    return this.request('GET', '/api/lawyer/statement', { query: { ...period } });
  }

  lawyerStatementCsvUrl(period: Period = {}): string {
    return `${this.baseUrl}/api/lawyer/statement${queryString({ ...period, format: 'csv' })}`;
  }

  payouts(): Promise<JsonOf<'list_payouts', 200>> {
    return this.request('GET', '/api/admin/payouts');
  }

  createPayout(beneficiaryId: string): Promise<JsonOf<'create_payout', 201>> {
    return this.request('POST', '/api/admin/payouts', { body: { beneficiary_id: beneficiaryId } });
  }

  markPayoutPaid(id: string, reference: string): Promise<JsonOf<'mark_paid', 200>> {
    return this.request('POST', `/api/admin/payouts/${encodeURIComponent(id)}/paid`, { body: { reference } });
  }

  commissionRules(): Promise<JsonOf<'get_rules', 200>> {
    return this.request('GET', '/api/admin/commission-rules');
  }

  saveCommissionRules(body: CommissionRules): Promise<JsonOf<'put_rules', 200>> {
    return this.request('PUT', '/api/admin/commission-rules', { body });
  }

  recordings(): Promise<JsonOf<'admin_recordings', 200>> {
    return this.request('GET', '/api/admin/recordings');
  }

  recordingRequests(): Promise<JsonOf<'admin_requests', 200>> {
    return this.request('GET', '/api/admin/recording-requests');
  }

  refuseRecordingRequest(id: string, reason: string): Promise<JsonOf<'refuse_request', 200>> {
    return this.request('POST', `/api/admin/recording-requests/${encodeURIComponent(id)}/refuse`, { body: { reason } });
  }

  /** Where the sealed bundle downloads from (a plain GET: the browser saves the tar). The
   *  server writes the download and its reason to the audit log before sending a byte. */
  recordingBundleUrl(id: string, reason: string, requestId?: string): string {
    const q = new URLSearchParams({ reason });
    if (requestId) q.set('request_id', requestId);
    return `/api/admin/recordings/${encodeURIComponent(id)}/bundle?${q.toString()}`;
  }

  sessionRecordings(sessionId: string): Promise<JsonOf<'session_recordings', 200>> {
    return this.request('GET', `/api/sessions/${encodeURIComponent(sessionId)}/recordings`);
  }

  requestRecordingCopy(id: string, note: string): Promise<JsonOf<'request_copy', 201>> {
    return this.request('POST', `/api/recordings/${encodeURIComponent(id)}/requests`, { body: { note } });
  }

  liveCalls(): Promise<LiveRoom[]> {
    return this.request('GET', '/api/admin/calls');
  }

  // --- contracts ---------------------------------------------------------------------------

  contracts(): Promise<ContractSummary[]> {
    return this.request('GET', '/api/contracts');
  }

  adminContracts(status?: ContractStatus): Promise<ContractSummary[]> {
    return this.request('GET', '/api/admin/contracts', { query: status ? { status } : {} });
  }

  contract(id: string): Promise<ContractDetail> {
    return this.request('GET', `/api/contracts/${encodeURIComponent(id)}`);
  }

  draftContract(body: { template_id: string; session_id: string }): Promise<ContractDetail> {
    return this.request('POST', '/api/contracts', { body });
  }

  editDraft(id: string, body: { title?: string; body: string }): Promise<ContractDetail> {
    return this.request('PUT', `/api/contracts/${encodeURIComponent(id)}/draft`, { body });
  }

  newContractVersion(id: string): Promise<ContractDetail> {
    return this.request('POST', `/api/contracts/${encodeURIComponent(id)}/versions`, { body: {} });
  }

  sendContract(id: string, expiresInDays: number): Promise<ContractDetail> {
    return this.request('POST', `/api/contracts/${encodeURIComponent(id)}/send`, { body: { expires_in_days: expiresInDays } });
  }

  answerContract(id: string, accept: boolean, body: { version: number; body_sha256: string; reason?: string }): Promise<ContractDetail> {
    return this.request('POST', `/api/contracts/${encodeURIComponent(id)}/${accept ? 'accept' : 'decline'}`, { body });
  }

  /** Activate or complete (the lawyer). */
  progressContract(id: string, step: 'activate' | 'complete'): Promise<ContractDetail> {
    return this.request('POST', `/api/contracts/${encodeURIComponent(id)}/${step}`, { body: {} });
  }

  terminateContract(id: string, reason: string): Promise<ContractDetail> {
    return this.request('POST', `/api/contracts/${encodeURIComponent(id)}/terminate`, { body: { reason } });
  }

  /** A sent version's PDF or exact text (plain GETs with the session cookie). */
  contractFileUrl(id: string, version: number, file: 'pdf' | 'text'): string {
    return `${this.baseUrl}/api/contracts/${encodeURIComponent(id)}/versions/${version}/${file}`;
  }

  contractTemplates(): Promise<ContractTemplate[]> {
    return this.request('GET', '/api/lawyer/contract-templates');
  }

  createTemplate(body: { kind: ContractKind; title: string; body: string }): Promise<ContractTemplate> {
    return this.request('POST', '/api/lawyer/contract-templates', { body });
  }

  updateTemplate(id: string, body: { title: string; body: string }): Promise<ContractTemplate> {
    return this.request('PUT', `/api/lawyer/contract-templates/${encodeURIComponent(id)}`, { body });
  }

  archiveTemplate(id: string): Promise<void> {
    return this.request('DELETE', `/api/lawyer/contract-templates/${encodeURIComponent(id)}`);
  }

  /** A link to the session's .ics file (a plain GET with the session cookie). */
  calendarUrl(id: string): string {
    return `${this.baseUrl}/api/sessions/${encodeURIComponent(id)}/calendar.ics`;
  }
}

/** The app's client: same origin as the page. */
export const api = new ApiClient();

/** One room of `GET /api/admin/calls` (the SFU's own statistics, see sfu/src/stats.rs). */
export interface LiveRoom {
  room: string;
  participants: {
    identity: string;
    published: LiveTrack[];
    subscribed: LiveTrack[];
    bitrate_in_kbps: number;
    bitrate_out_kbps: number;
    /** The bandwidth estimate towards the participant (null before any feedback). */
    bandwidth_estimate_kbps: number | null;
    publish_link: LiveLink;
    subscribe_link: LiveLink;
  }[];
}

export interface LiveTrack {
  track_id: string;
  kind: string;
  packets: number;
  bytes: number;
  queue_drops: number;
  /** Simulcast: the layer forwarded (subscribed) or the largest sent (published); null for one encoding. */
  layer: number | null;
}

export interface LiveLink {
  packets_lost: number;
  jitter_ms: number;
  rtt_ms?: number | null;
  nacks: number;
}
