import { useEffect, useRef } from 'react';

/** A <video> showing a stream (muted: audio plays through <RemoteAudio>). */
export function VideoView({ stream, mirrored, className, fit = 'cover' }: { stream: MediaStream | null; mirrored?: boolean; className?: string; fit?: 'cover' | 'contain' }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const v = ref.current;
    if (!v || v.srcObject === stream) return;
    v.srcObject = stream;
    if (stream) void v.play().catch(() => undefined);
  }, [stream]);
  const classes = ['video', mirrored ? 'video-mirrored' : '', fit === 'contain' ? 'video-contain' : '', className ?? ''].filter(Boolean).join(' ');
  return <video ref={ref} className={classes} autoPlay playsInline muted aria-hidden="true" />;
}

/** Plays one remote audio track. */
export function RemoteAudio({ track }: { track: MediaStreamTrack }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const a = ref.current;
    if (!a) return;
    a.srcObject = new MediaStream([track]);
    void a.play().catch(() => undefined);
    return () => {
      a.srcObject = null;
    };
  }, [track]);
  return <audio ref={ref} autoPlay />;
}
