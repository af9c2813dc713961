// Who is speaking: the loudest participant above a floor, held for a moment so the
// highlight does not flicker between two people talking over each other.

/** Audio level (0–1, as getStats' `audioLevel`) below which nobody is speaking. */
export const SPEAKING_LEVEL = 0.03;
/** The highlight stays this long after the speaker falls silent. */
export const HOLD_MS = 1500;
/** Someone else takes the highlight only after the current speaker held it this long. */
export const MIN_TURN_MS = 800;

export interface SpeakerState {
  identity: string | null;
  /** When the current speaker was last heard above the floor. */
  heardAt: number;
  /** When the highlight last moved. */
  since: number;
}

export const NO_SPEAKER: SpeakerState = { identity: null, heardAt: 0, since: 0 };

/** The next state from each participant's current level (identity → 0–1) at `now` (ms). */
export function nextSpeaker(state: SpeakerState, levels: ReadonlyMap<string, number>, now: number): SpeakerState {
  let loudest: string | null = null;
  let loudestLevel = SPEAKING_LEVEL;
  for (const [identity, level] of levels) {
    if (level >= loudestLevel) {
      loudest = identity;
      loudestLevel = level;
    }
  }
  if (loudest === null) {
    if (state.identity !== null && now - state.heardAt > HOLD_MS) return { identity: null, heardAt: state.heardAt, since: now };
    return state;
  }
  if (loudest === state.identity) return { ...state, heardAt: now };
  const currentLevel = state.identity === null ? 0 : (levels.get(state.identity) ?? 0);
  const currentStillSpeaking = state.identity !== null && currentLevel >= SPEAKING_LEVEL;
  if (state.identity === null || !currentStillSpeaking || now - state.since >= MIN_TURN_MS) {
    return { identity: loudest, heardAt: now, since: now };
  }
  return currentStillSpeaking ? { ...state, heardAt: now } : state;
}
