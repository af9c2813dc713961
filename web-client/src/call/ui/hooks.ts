// React hooks around the browser's media APIs for the device check and the call.
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { CallSession, CallSnapshot } from '../CallSession';
import { rmsLevel, type MediaProblem } from '../lobby';
import { openMedia, type DeviceChoice } from '../media';

export type { DeviceChoice };

export interface Preview {
  stream: MediaStream | null;
  /** Why nothing (or not everything) could be opened. */
  problem: MediaProblem | null;
  loading: boolean;
}

/**
 * The device check's camera and microphone. The stream is stopped when the choice changes
 * or the component goes away, unless `handOver` was called (the call then owns it).
 */
export function usePreview(choice: DeviceChoice, attempt: number): Preview & { handOver: () => MediaStream | null } {
  const [preview, setPreview] = useState<Preview>({ stream: null, problem: null, loading: true });
  const current = useRef<MediaStream | null>(null);
  const handedOver = useRef(false);

  useEffect(() => {
    let live = true;
    setPreview((p) => ({ ...p, loading: true }));
    // Release the previous devices first: some cameras cannot be opened twice.
    current.current?.getTracks().forEach((t) => t.stop());
    current.current = null;
    void openMedia(choice).then(({ stream, problem }) => {
      if (!live) {
        stream?.getTracks().forEach((t) => t.stop());
        return;
      }
      current.current = stream;
      setPreview({ stream, problem, loading: false });
    });
    return () => {
      live = false;
    };
  }, [choice.cameraId, choice.microphoneId, attempt]);

  useEffect(
    () => () => {
      if (!handedOver.current) current.current?.getTracks().forEach((t) => t.stop());
    },
    [],
  );

  return {
    ...preview,
    handOver: () => {
      handedOver.current = true;
      return current.current;
    },
  };
}

export interface Devices {
  cameras: MediaDeviceInfo[];
  microphones: MediaDeviceInfo[];
}

/** The cameras and microphones (with names once a permission was given), kept up to date. */
export function useDevices(refresh: unknown): Devices {
  const [devices, setDevices] = useState<Devices>({ cameras: [], microphones: [] });
  useEffect(() => {
    const md = navigator.mediaDevices;
    if (!md?.enumerateDevices) return;
    let live = true;
    const read = () =>
      void md.enumerateDevices().then((all) => {
        if (!live) return;
        setDevices({
          cameras: all.filter((d) => d.kind === 'videoinput' && d.deviceId),
          microphones: all.filter((d) => d.kind === 'audioinput' && d.deviceId),
        });
      });
    read();
    md.addEventListener?.('devicechange', read);
    return () => {
      live = false;
      md.removeEventListener?.('devicechange', read);
    };
  }, [refresh]);
  return devices;
}

/** The microphone's level (0–1) from an analyser, about 15 times a second. */
export function useAudioLevel(track: MediaStreamTrack | null): number {
  const [level, setLevel] = useState(0);
  useEffect(() => {
    if (!track || typeof AudioContext === 'undefined') return;
    const ctx = new AudioContext();
    const source = ctx.createMediaStreamSource(new MediaStream([track]));
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser);
    const samples = new Uint8Array(analyser.fftSize);
    const timer = setInterval(() => {
      analyser.getByteTimeDomainData(samples);
      setLevel(track.enabled ? rmsLevel(samples) : 0);
    }, 66);
    // A context made before a click may start suspended.
    void ctx.resume().catch(() => undefined);
    return () => {
      clearInterval(timer);
      source.disconnect();
      void ctx.close().catch(() => undefined);
    };
  }, [track]);
  return level;
}

export type NetworkCheck = { kind: 'idle' } | { kind: 'pending' } | { kind: 'ok'; ms: number } | { kind: 'failed' };

/** Whether a WebSocket to the signaling server opens (it is closed at once, before any join). */
export function useSignalingCheck(url: string | null): NetworkCheck {
  const [check, setCheck] = useState<NetworkCheck>({ kind: 'idle' });
  useEffect(() => {
    if (!url) {
      setCheck({ kind: 'idle' });
      return;
    }
    setCheck({ kind: 'pending' });
    const started = performance.now();
    let done = false;
    let ws: WebSocket | null = null;
    const finish = (result: NetworkCheck) => {
      if (done) return;
      done = true;
      clearTimeout(timeout);
      setCheck(result);
      try {
        ws?.close(1000);
      } catch {
        // Never opened.
      }
    };
    const timeout = setTimeout(() => finish({ kind: 'failed' }), 8000);
    try {
      const socket = new WebSocket(url);
      ws = socket;
      socket.onopen = () => finish({ kind: 'ok', ms: Math.round(performance.now() - started) });
      socket.onerror = () => finish({ kind: 'failed' });
    } catch {
      finish({ kind: 'failed' });
    }
    return () => {
      done = true;
      clearTimeout(timeout);
      try {
        ws?.close(1000);
      } catch {
        // Never opened.
      }
    };
  }, [url]);
  return check;
}

/** The call session's snapshot, re-rendering on each change. */
export function useCall(session: CallSession): CallSnapshot {
  return useSyncExternalStore(session.subscribe, session.getSnapshot);
}

/** A MediaStream of the given tracks that stays the same object while they do. */
export function useStream(...tracks: (MediaStreamTrack | null | undefined)[]): MediaStream | null {
  const present = tracks.filter((t): t is MediaStreamTrack => !!t);
  const key = present.map((t) => t.id).join(',');
  const ref = useRef<{ key: string; stream: MediaStream | null }>({ key: '', stream: null });
  if (ref.current.key !== key || (present.length && !ref.current.stream)) {
    ref.current = { key, stream: present.length ? new MediaStream(present) : null };
  } else if (ref.current.stream) {
    // Same ids but possibly new track objects (a receiver reused): keep the stream in step.
    const have = ref.current.stream.getTracks();
    if (present.some((t) => !have.includes(t))) ref.current = { key, stream: new MediaStream(present) };
  }
  return ref.current.stream;
}
