/// SVG pictures of training, as self-contained SVG text (no dependencies): the loss curve and
/// the decision boundary of a 2-D classifier, in the style of micrograd's demo notebook.
///
/// Write the returned string to a `.svg` file and open it in a browser. Bad numbers never
/// crash a plot: non-finite values are left out (see each function), and with nothing left to
/// draw the picture shows its frame and the words "no data".
public enum Plot {
    /// Width and height of the pictures, in pixels.
    static let lossSize = (width: 640.0, height: 400.0)
    static let boundarySize = (width: 560.0, height: 540.0)

    /// Colours (ColorBrewer "Spectral" ends, as matplotlib's `cm.Spectral`).
    static let lossColor = "#d53e4f"
    static let accuracyColor = "#3288bd"
    static let negativeRegion = "#f7b6a8"
    static let positiveRegion = "#b7cbeb"
    static let undefinedRegion = "#dddddd"
    static let negativePoint = "#d7301f"
    static let positivePoint = "#2c5fb0"
}
