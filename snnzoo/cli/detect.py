"""`snnzoo detect PRESET audio.wav`: keyword events in a recording, from
the preset's int8 step graph on the micro front end (as the device runs it)."""

import os

from snnzoo.cli.common import CommandError
from snnzoo.cli.common import input_file
from snnzoo.cli.common import positive_float
from snnzoo.cli.common import preset_name

STEP_FILE = "model_int8_step.tflite"


def add_parser(sub):
    p = sub.add_parser("detect", help="keyword events in a .wav (micro front-end presets)",
                       description="Run a *_micro preset's int8 step graph over a whole "
                                   "recording from power-up (states never reset) and print "
                                   "its keyword events: time, keyword, smoothed posterior.")
    p.add_argument("preset", help="a preset trained on the micro front end (*_micro*)")
    p.add_argument("audio", help="a mono .wav at the preset's sample rate")
    p.add_argument("--threshold", type=positive_float, default=0.6,
                   help="smoothed posterior an event needs (default 0.6)")
    p.add_argument("--smoothing", type=positive_float, default=0.2,
                   help="posterior smoothing window in seconds (default 0.2)")
    p.add_argument("--refractory", type=positive_float, default=1.0,
                   help="seconds after an event during which none fires (default 1.0)")
    p.add_argument("--keywords", help="comma-separated labels that may fire (default: all "
                                      "but silence and unknown)")
    p.add_argument("--runtime", choices=("litert", "tflm"), default="litert")
    return p


def _read_wav(path, sample_rate):
    import soundfile

    try:
        audio, rate = soundfile.read(path, dtype="float32", always_2d=True)
    except Exception as err:  # soundfile's errors name no argument
        raise CommandError(f"audio: {path!r} is not a readable audio file ({err}).") from None
    if audio.shape[1] != 1:
        raise CommandError(f"audio: expected mono; {path!r} has {audio.shape[1]} channels.")
    if rate != sample_rate:
        raise CommandError(f"audio: expected {sample_rate} Hz (the preset's front end); "
                           f"{path!r} is at {rate} Hz.")
    if not len(audio):
        raise CommandError(f"audio: {path!r} holds no samples.")
    return audio[:, 0]


def run(args):
    from snnzoo import presets
    from snnzoo.presets import store
    from snnzoo.streaming import Detector

    name = preset_name(args.preset)
    input_file(args.audio, "audio", "a .wav file")
    card = presets.card(name)
    front = card.get("frontend") or {}
    if front.get("kind") != "micro" or STEP_FILE not in os.listdir(store.path(name)):
        raise CommandError(f"preset: expected a preset on the micro front end with an int8 "
                           f"step graph (a *_micro preset); {name!r} has front end "
                           f"{front.get('kind')!r}.")
    keywords = args.keywords.split(",") if args.keywords else None
    detector = Detector(os.path.join(store.path(name), STEP_FILE), front, front["labels"],
                        keywords=keywords, runtime=args.runtime, smoothing_s=args.smoothing,
                        threshold=args.threshold, refractory_s=args.refractory)
    audio = _read_wav(args.audio, int(front["sample_rate"]))
    events = detector.run(audio)
    for time, keyword, score in events:
        print(f"{time:9.2f} s  {keyword:<10} {score:.3f}")
    print(f"{len(events)} events in {len(audio) / front['sample_rate']:.1f} s of audio "
          f"({name}, {args.runtime}, threshold {args.threshold:g}, smoothing "
          f"{args.smoothing:g} s, refractory {args.refractory:g} s)")
