"""`snnzoo detect PRESET audio.wav`: keyword events in a recording, from
the preset's int8 step graph on the micro front end (as the device runs it)."""

from snnzoo.cli.common import CommandError
from snnzoo.cli.common import input_file
from snnzoo.cli.common import positive_float
from snnzoo.cli.common import preset_name

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
    from snnzoo.zoo.detector_setup import detector_for

    name = preset_name(args.preset)
    input_file(args.audio, "audio", "a .wav file")
    keywords = args.keywords.split(",") if args.keywords else None
    detector = detector_for(name, keywords=keywords, runtime=args.runtime,
                            smoothing_s=args.smoothing, threshold=args.threshold,
                            refractory_s=args.refractory)
    rate = detector.params.sample_rate
    audio = _read_wav(args.audio, rate)
    events = detector.run(audio)
    for time, keyword, score in events:
        print(f"{time:9.2f} s  {keyword:<10} {score:.3f}")
    scored = "readout membrane" if detector.score_state else "output"
    print(f"{len(events)} events in {len(audio) / rate:.1f} s of audio ({name}, {args.runtime}, "
          f"scores: {scored}, threshold {args.threshold:g}, smoothing {args.smoothing:g} s, "
          f"refractory {args.refractory:g} s)")
