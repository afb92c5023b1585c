/// How a user makes a host predictor for the machine they are on: said wherever the host is uncalibrated.
public enum HostCalibration {
    public static let advice = "calibrate this machine with `nas calibrate --device host` (about 6 minutes; `--budget 2m` for a quick, coarser one)"
}
