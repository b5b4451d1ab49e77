using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Pose;

namespace NanoDet.Inference.Tests.Pose;

/// <summary>Both calibration formats load to the same camera; broken files are one-line errors naming file and key.</summary>
public class CameraCalibrationFileTests
{
    private const string OpenCvYaml = """
        %YAML:1.0
        ---
        calibration_time: "Fri Dec  4 2026"
        image_width: 1280
        image_height: 1024
        camera_matrix: !!opencv-matrix
           rows: 3
           cols: 3
           dt: d
           data: [ 1.4621e+03, 0., 6.524e+02, 0., 1.4603e+03, 4.987e+02, 0., 0., 1. ]
        distortion_coefficients: !!opencv-matrix
           rows: 1
           cols: 5
           dt: d
           data: [ -8.3e-02, 1.21e-01, 7.0e-04, -1.1e-03, -3.4e-02 ]
        avg_reprojection_error: 0.21
        """;

    private const string OpenCvXml = """
        <?xml version="1.0"?>
        <opencv_storage>
        <image_width>1280</image_width>
        <image_height>1024</image_height>
        <camera_matrix type_id="opencv-matrix">
          <rows>3</rows>
          <cols>3</cols>
          <dt>d</dt>
          <data>
            1.4621e+03 0. 6.524e+02 0. 1.4603e+03 4.987e+02 0. 0. 1.</data></camera_matrix>
        <distortion_coefficients type_id="opencv-matrix">
          <rows>5</rows>
          <cols>1</cols>
          <dt>d</dt>
          <data>
            -8.3e-02 1.21e-01 7.0e-04 -1.1e-03 -3.4e-02</data></distortion_coefficients>
        </opencv_storage>
        """;

    private const string RosCameraInfo = """
        image_width: 1280
        image_height: 1024
        camera_name: narrow_stereo
        camera_matrix:
          rows: 3
          cols: 3
          data: [1462.1, 0, 652.4, 0, 1460.3, 498.7, 0, 0, 1]
        distortion_model: plumb_bob
        distortion_coefficients:
          rows: 1
          cols: 5
          data: [-0.083, 0.121, 0.0007, -0.0011, -0.034]
        rectification_matrix:
          rows: 3
          cols: 3
          data: [1, 0, 0, 0, 1, 0, 0, 0, 1]
        projection_matrix:
          rows: 3
          cols: 4
          data: [1462.1, 0, 652.4, 0, 0, 1460.3, 498.7, 0, 0, 0, 1, 0]
        """;

    private static readonly CameraModel Expected = new(1462.1, 1460.3, 652.4, 498.7, -0.083, 0.121, 0.0007, -0.0011, -0.034, 1280, 1024);

    [Theory]
    [InlineData("opencv.yml", OpenCvYaml)]
    [InlineData("opencv.xml", OpenCvXml)]
    [InlineData("ros_camera_info.yaml", RosCameraInfo)]
    public void Loads(string name, string text)
    {
        var path = Write(name, text);
        var c = CameraCalibrationFile.Read(path);
        Assert.Equal(Expected.Fx, c.Fx, 9);
        Assert.Equal(Expected.Fy, c.Fy, 9);
        Assert.Equal(Expected.Cx, c.Cx, 9);
        Assert.Equal(Expected.Cy, c.Cy, 9);
        Assert.Equal(Expected.Distortion(), c.Distortion(), (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal((1280, 1024), (c.Width, c.Height));
    }

    [Fact]
    public void Options_override_the_file_and_stand_alone()
    {
        var path = Write("cam.yml", OpenCvYaml);
        var c = new CameraOptions { File = path, K1 = 0, Cx = 640 }.Resolve("camera")!;
        Assert.Equal((1462.1, 640.0, 0.0, 0.121), (c.Fx, c.Cx, c.K1, c.K2));
        var inline = new CameraOptions { Fx = 1000, Fy = 1000, Cx = 320, Cy = 240, ImageSize = [640, 480] }.Resolve("camera")!;
        Assert.Equal((1000.0, 640, 480), (inline.Fx, inline.Width, inline.Height));
        Assert.Null(new CameraOptions().Resolve("camera"));
        var e = Assert.Throws<ConfigurationException>(() => new CameraOptions { Fx = 1000, Fy = 1000, Cx = 320 }.Resolve("camera"));
        Assert.Equal("camera:cy: missing (give fx, fy, cx, cy, or a calibration file in camera:file)", e.Message);
    }

    [Theory]
    [InlineData("no_matrix.yml", "image_width: 1280\ndistortion_coefficients:\n  rows: 1\n  cols: 5\n  data: [0, 0, 0, 0, 0]\n", "camera_matrix: missing")]
    [InlineData("short_matrix.yml", "camera_matrix:\n  rows: 3\n  cols: 3\n  data: [1462.1, 0, 652.4, 0, 1460.3, 498.7, 0, 0]\ndistortion_coefficients:\n  data: [0, 0, 0, 0, 0]\n", "camera_matrix: rows x cols = 9 but data has 8 numbers")]
    [InlineData("text_in_matrix.yml", "camera_matrix:\n  data: [1462.1, 0, abc, 0, 1460.3, 498.7, 0, 0, 1]\ndistortion_coefficients:\n  data: [0, 0, 0, 0, 0]\n", "camera_matrix:data: entry 3 is not a number")]
    [InlineData("no_distortion.yml", "camera_matrix:\n  data: [1462.1, 0, 652.4, 0, 1460.3, 498.7, 0, 0, 1]\n", "distortion_coefficients: missing")]
    [InlineData("rational.yml", "camera_matrix:\n  data: [1462.1, 0, 652.4, 0, 1460.3, 498.7, 0, 0, 1]\ndistortion_coefficients:\n  data: [0.1, 0, 0, 0, 0, 0.2, 0, 0]\n", "distortion_coefficients: only k1, k2, p1, p2, k3 are supported; coefficient 6 is 0.2")]
    [InlineData("not_yaml.yml", "camera_matrix: [1, 2\n  data: {\n", "not a readable OpenCV FileStorage or ROS camera_info file")]
    public void Broken_files_are_one_line_errors_naming_file_and_key(string name, string text, string expected)
    {
        var path = Write(name, text);
        var e = Assert.Throws<InputDataException>(() => CameraCalibrationFile.Read(path));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    private static string Write(string name, string text)
    {
        var path = Path.Combine(TestPaths.NewTempDir("calib"), name);
        File.WriteAllText(path, text);
        return path;
    }
}
