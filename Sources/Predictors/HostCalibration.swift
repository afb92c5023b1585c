/// How a user makes a host predictor for the machine they are on: said wherever the host is uncalibrated.
public enum HostCalibration {
    /// The commands, with the time they take on 2 CPUs (the zoo profile of docs/predictors.md took 2 min 52 s).
    public static let advice = "calibrate this machine with `nas profile --backend host --threads 1 --out host.jsonl` (about 3 minutes on 2 CPUs), then `nas train --device host --data host.jsonl --out DIR/host` and set NAS_BUNDLES=DIR"
}
