// Opening the camera and microphone (no React here: the device check and the call share it).
import { mediaProblem, type MediaProblem } from './lobby';

export interface DeviceChoice {
  cameraId: string | null;
  microphoneId: string | null;
}

function constraints(choice: DeviceChoice, audio: boolean, video: boolean): MediaStreamConstraints {
  return {
    audio: audio
      ? { ...(choice.microphoneId ? { deviceId: { exact: choice.microphoneId } } : {}), echoCancellation: true, noiseSuppression: true, autoGainControl: true }
      : false,
    video: video
      ? { ...(choice.cameraId ? { deviceId: { exact: choice.cameraId } } : { facingMode: 'user' }), width: { ideal: 1280 }, height: { ideal: 720 } }
      : false,
  };
}

/** Opens camera and microphone (else whichever works), reopened when the choice changes. */
export async function openMedia(choice: DeviceChoice): Promise<{ stream: MediaStream | null; problem: MediaProblem | null }> {
  if (!navigator.mediaDevices?.getUserMedia) return { stream: null, problem: 'unsupported' };
  let first: unknown = null;
  for (const [audio, video] of [
    [true, true],
    [true, false],
    [false, true],
  ] as const) {
    try {
      const stream = await navigator.mediaDevices.getUserMedia(constraints(choice, audio, video));
      return { stream, problem: audio && video ? null : mediaProblem(first) };
    } catch (e) {
      first ??= e;
      // Permission refused: asking again for less will be refused too.
      if (mediaProblem(e) === 'denied') break;
    }
  }
  return { stream: null, problem: mediaProblem(first) };
}

