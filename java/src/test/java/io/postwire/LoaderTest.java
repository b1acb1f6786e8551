package io.postwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoaderTest {
  /** Runs in a child JVM: loads the library and prints its version. */
  public static final class Probe {
    public static void main(String[] args) {
      System.out.println("version " + Postwire.version());
    }
  }

  private static String[] runProbe(String nativeDir) throws IOException, InterruptedException {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    "-Dpostwire.native.dir=" + nativeDir,
                    Probe.class.getName()))
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS));
    return new String[] {Integer.toString(process.exitValue()), output};
  }

  @Test
  void theLibraryIsExtractedLoadedAndLeavesNothingBehind(@TempDir Path directory) throws Exception {
    String[] result = runProbe(directory.toString());
    assertEquals("0", result[0], result[1]);
    assertTrue(result[1].contains("version " + Postwire.version()), result[1]);
    try (var left = Files.list(directory)) {
      assertEquals(0, left.count(), "the extracted libraries are deleted once loaded");
    }
  }

  @Test
  void anUnwritableDirectoryIsAClearError(@TempDir Path directory) throws Exception {
    Path file = Files.writeString(directory.resolve("a-file"), "not a directory");
    String[] result = runProbe(file.toString());
    assertNotEquals("0", result[0]);
    assertTrue(result[1].contains("is not writable"), result[1]);
    assertTrue(result[1].contains(file.toString()), result[1]);
    assertTrue(result[1].contains("java.io.tmpdir"), result[1]);
  }

  @Test
  void theVersionIsTheLibrarys() {
    assertTrue(Postwire.version().matches("\\d+\\.\\d+\\.\\d+"), Postwire.version());
  }
}
