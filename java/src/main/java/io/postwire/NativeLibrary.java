package io.postwire;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Loads the native libraries the jar carries under native/PLATFORM/: libpostwire.so.0 (the C ABI)
 * first, then libpostwire_jni.so, which finds it through its RPATH $ORIGIN. Both are extracted to
 * one private temporary directory, loaded, and deleted again (a loaded library stays mapped), so
 * nothing is left behind. The directory is made under the system property postwire.native.dir when
 * set, else under java.io.tmpdir.
 */
final class NativeLibrary {
  private static final String[] LIBRARIES = {"libpostwire.so.0", "libpostwire_jni.so"};
  private static boolean loaded;

  private NativeLibrary() {}

  static synchronized void load() {
    if (loaded) {
      return;
    }
    String platform = platform();
    Path parent =
        Paths.get(System.getProperty("postwire.native.dir", System.getProperty("java.io.tmpdir")));
    Path directory;
    try {
      directory = Files.createTempDirectory(parent, "postwire-native-");
    } catch (IOException | UnsupportedOperationException e) {
      throw new UnsatisfiedLinkError(
          "postwire: cannot extract its native libraries: the directory "
              + parent
              + " is not writable ("
              + e
              + "); point the system property java.io.tmpdir or postwire.native.dir at a"
              + " writable directory");
    }
    try {
      for (String name : LIBRARIES) {
        Path file = directory.resolve(name);
        String resource = "/native/" + platform + "/" + name;
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
          if (in == null) {
            throw new UnsatisfiedLinkError(
                "postwire: this jar has no native library for "
                    + platform
                    + " (missing "
                    + resource
                    + ")");
          }
          Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
          throw new UnsatisfiedLinkError(
              "postwire: cannot write its native library to " + file + " (" + e + ")");
        }
      }
      for (String name : LIBRARIES) {
        System.load(directory.resolve(name).toAbsolutePath().toString());
      }
      loaded = true;
    } finally {
      for (String name : LIBRARIES) {
        deleteQuietly(directory.resolve(name));
      }
      deleteQuietly(directory);
    }
  }

  /** The jar's folder name for this machine, e.g. linux-x86_64. */
  static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    if (!os.startsWith("linux")) {
      throw new UnsatisfiedLinkError("postwire: no native library for the OS " + os);
    }
    switch (arch) {
      case "amd64":
      case "x86_64":
        return "linux-x86_64";
      case "aarch64":
      case "arm64":
        return "linux-aarch64";
      default:
        throw new UnsatisfiedLinkError("postwire: no native library for the architecture " + arch);
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // Left in the temporary directory; the libraries are loaded either way.
    }
  }
}
