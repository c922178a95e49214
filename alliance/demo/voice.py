"""A voice note for the demo (ADR 0019), made in code: no recording ships with the
repository. A short WAV, the one format whose bytes Python writes by itself."""

import io
import math
import wave


def tone_wav(seconds: float = 2.0, *, rate: int = 8000, pitch: float = 220.0) -> bytes:
    """A soft hum, rising and falling like a voice: 16-bit mono PCM, at telephone
    quality (2 seconds: 32 kB)."""
    frames = bytearray()
    count = int(seconds * rate)
    for n in range(count):
        t = n / rate
        swell = math.sin(math.pi * n / count)  # fades in and out, no click
        sample = swell * 0.3 * math.sin(2 * math.pi * (pitch + 40 * math.sin(3 * t)) * t)
        frames += int(sample * 32767).to_bytes(2, "little", signed=True)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))
    return buffer.getvalue()
