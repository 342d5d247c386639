"""Scoring keyword events on a stream with known truth (kws_streaming's and
the Picovoice benchmark's conventions).

- A keyword utterance `(onset, offset, name, True)` is **detected** by the
  first event of the same keyword at a time in `[onset, offset + tolerance_s]`.
- Every other event is a **false alarm**: a keyword fired during a
  non-keyword word, during background, a wrong keyword, or a second event
  on one utterance. False alarms per hour = count / stream hours.
- **Miss rate** = undetected keyword utterances / keyword utterances (0
  when the stream holds none).
- **Latency** of a detection = event time - utterance offset (the end of
  its voiced part; negative when the model fires before the word ends).
- The **DET curve** sweeps the threshold over the recorded per-frame scores
  (`events_at`), so the model runs once.
"""

import numpy as np

from snnzoo import validation

TOLERANCE_S = 1.0


def events_at(scores, best, threshold, refractory_frames):
    """The events `[(frame, class, score)]` that `KeywordLogic` fires at
    `threshold` given its per-frame `(score, best class)` (which do not
    depend on the threshold)."""
    scores = np.asarray(scores)
    out, last = [], None
    for frame in np.nonzero(scores >= threshold)[0]:
        if last is None or frame - last >= refractory_frames:
            out.append((int(frame), int(best[frame]), float(scores[frame])))
            last = frame
    return out


def match(events, truth, tolerance_s=TOLERANCE_S):
    """`(detected: {truth index: event}, false_alarms: [event])` for events
    `[(time s, name, score)]`; see the module."""
    keyword_truth = sorted((on, off + tolerance_s, name, i)
                           for i, (on, off, name, is_kw) in enumerate(truth) if is_kw)
    starts = np.array([t[0] for t in keyword_truth])
    detected, false_alarms = {}, []
    for event in sorted(events):
        time, name = event[0], event[1]
        hit = None
        # utterances whose window may hold `time` (windows are short; look back a few)
        for j in range(int(np.searchsorted(starts, time, side="right")) - 1, -1, -1):
            on, end, word, index = keyword_truth[j]
            if end < time - 10.0:
                break
            if on <= time <= end and word == name and index not in detected:
                hit = index
                break
        if hit is None:
            false_alarms.append(event)
        else:
            detected[hit] = event
    return detected, false_alarms


def summary(events, truth, hours, tolerance_s=TOLERANCE_S):
    """Miss rate, false alarms per hour and latencies of one operating point."""
    validation.number(hours, "hours", 0, low_open=True)
    detected, false_alarms = match(events, truth, tolerance_s)
    keywords = [i for i, t in enumerate(truth) if t[3]]
    latency = [detected[i][0] - truth[i][1] for i in sorted(detected)]
    return {"keywords": len(keywords), "detected": len(detected),
            "miss_rate": 1.0 - len(detected) / len(keywords) if keywords else 0.0,
            "false_alarms": len(false_alarms), "false_alarms_per_hour": len(false_alarms) / hours,
            "latency_s": latency}


def det_curve(scores, best, labels, frame_time, truth, hours, refractory_frames,
              thresholds=None):
    """`[(threshold, false alarms per hour, miss rate)]` over `thresholds`
    (default: 101 quantiles of the scores above 0.05, and 0.999)."""
    scores = np.asarray(scores)
    if thresholds is None:
        high = scores[scores > 0.05]
        thresholds = np.unique(np.concatenate([np.quantile(high, np.linspace(0, 1, 101))
                                               if len(high) else [], [0.999]]))
    out = []
    for threshold in thresholds:
        events = [(frame_time(f), labels[c], s)
                  for f, c, s in events_at(scores, best, threshold, refractory_frames)]
        s = summary(events, truth, hours)
        out.append((float(threshold), s["false_alarms_per_hour"], s["miss_rate"]))
    return out


def miss_at(curve, false_alarms_per_hour=1.0):
    """`(miss rate, threshold)` of the lowest-miss point with at most
    `false_alarms_per_hour` (miss 1.0 and None when no point qualifies)."""
    ok = [(miss, threshold) for threshold, fa, miss in curve if fa <= false_alarms_per_hour]
    return min(ok) if ok else (1.0, None)
