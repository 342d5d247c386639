"""The audio loop of the micro-front-end presets on the emulated Cortex-M4:
int16 audio in, keyword events out (`snnzoo.export.bundle.cortex_m_kws`).

`refresh_kws_loop(name)` renders a deterministic test stream from the
preset's held-out recordings (`test_stream`: clean, seed 0, the clips with
0.5-2.5 s of silence between them), runs the bundle's `<name>_kws.cc` on it
under QEMU, checks that its events (frame, keyword, score) equal those of
`snnzoo.streaming.Detector` in TFLM on the same samples, and writes the
card's `cortex_m_kws` record: `{"cpu", "toolchain", "stream_s", "chunk_samples",
"events", "identical_events", "flash_bytes", "ram_bytes", "stack_bytes",
"instructions_per_second"}` (an emulator count per second of audio).
"""

import os

from snnzoo import data
from snnzoo.data import micro_frontend
from snnzoo.export.bundle import cortex_m
from snnzoo.export.bundle import cortex_m_kws
from snnzoo.export.bundle import micro_frontend_c
from snnzoo.presets import store
from snnzoo.presets.spec import PresetSpec
from snnzoo.streaming.detector import default_keywords
from snnzoo.streaming.streams import make_stream
from snnzoo.zoo import mcu
from snnzoo.zoo.detector_setup import STEP_FILE
from snnzoo.zoo.detector_setup import detector_for

#: Seconds of the test stream; every CLIP_STRIDE-th held-out clip is drawn from.
STREAM_SECONDS = 20.0
CLIP_STRIDE = 10
#: The front end's source repositories (`micro_frontend_c.PINS`).
FRONTEND_ENV = (("SNNZOO_TFLITE_MICRO_SRC", "SNNZOO_TFLM_SRC"), ("SNNZOO_KISSFFT_SRC",))


def test_stream(preset, seconds=STREAM_SECONDS):
    """int16 samples of a clean stream of `preset`'s held-out clips (a
    `PresetSpec`), and the stream's truth rows (`make_stream`'s)."""
    spec, front = preset.evaluation, store.card(preset.folder)["frontend"]
    options = {k: v for k, v in spec.get("options", {}).items() if k != "frontend"}
    clips, y = data.load(spec["dataset"], spec["split"], return_audio=True, **options)
    labels = front["labels"]
    keep = [i for i in range(0, len(y), CLIP_STRIDE) if labels[y[i]] in default_keywords(labels)]
    names = [labels[y[i]] for i in keep]
    audio, truth = make_stream([clips[i] for i in keep], names, sorted(set(names)),
                               front["sample_rate"], segments=1, segment_s=seconds,
                               snrs_db=(None,), seed=0)
    return micro_frontend.int16_samples(audio), truth


def frontend_sources():
    """The micro front end's pinned sources, prepared once in `mcu.cache_dir()`.
    Raises `RuntimeError` naming the variables to set when a repository is absent."""
    repos = [next((os.environ[v] for v in names if os.environ.get(v)), None)
             for names in FRONTEND_ENV]
    if not all(repos):
        raise RuntimeError("the micro front end's sources: set SNNZOO_TFLITE_MICRO_SRC and "
                           "SNNZOO_KISSFFT_SRC (see snnzoo.export.bundle.micro_frontend_c)")
    return micro_frontend_c.prepare_sources(*repos, os.path.join(mcu.cache_dir(), "frontend"))


def kws_record(name, samples, sources, front_sources):
    """The card's `cortex_m_kws` record of preset `name` on int16 `samples`.
    Raises `ValueError` unless the firmware's events equal the Detector's."""
    detector = detector_for(name, runtime="tflm")
    expected = detector.run(samples)
    card = store.card(name)
    run = cortex_m_kws.emulate_kws(os.path.join(store.path(name), STEP_FILE), card["frontend"],
                                   samples, sources, front_sources,
                                   os.path.join(mcu.cache_dir(), "build"), name=name,
                                   detection={"score_state": detector.score_state})
    got = [(detector.frame_time(f), detector.labels[k], s) for f, k, s in run["events"]]
    if got != expected:
        raise ValueError(f"{name}: the firmware's events differ from the Detector's "
                         f"({len(got)} against {len(expected)}).")
    return {"cpu": cortex_m.CPU, "toolchain": mcu.toolchain_version(),
            "stream_s": round(len(samples) / float(card["frontend"]["sample_rate"]), 4),
            "chunk_samples": cortex_m_kws.CHUNK_SAMPLES, "events": len(got),
            "identical_events": True, "flash_bytes": run["flash_bytes"],
            "ram_bytes": run["ram_bytes"], "stack_bytes": run["stack_bytes"],
            "instructions_per_second": run["instructions_per_second"]}


def refresh_kws_loop(name, root=None, seconds=STREAM_SECONDS):
    """Measure preset `name`'s audio loop on the emulated Cortex-M4 again and
    write the record into its card (re-hashing the folder). Returns it."""
    preset = PresetSpec.resolve(name, root)
    store.verify(preset.folder)
    samples, _ = test_stream(preset, seconds)
    record = kws_record(name, samples, mcu.prepared_sources(), frontend_sources())
    store.write_card_record(preset.folder, "cortex_m_kws", record)
    return record

