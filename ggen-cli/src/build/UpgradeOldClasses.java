import java.io.IOException;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Build step of ggen-cli, run on the shaded jar after the shade plugin (JDK 24 or later: the
 * class-file API): rewrites each class file older than Java 6 (major version below 50) as a
 * Java 8 class (52) with its stack maps computed, and copies every other entry as it is.
 *
 * <p>Why: a JVM archive (CDS, or an AOT cache) cannot hold a class that old once it is linked
 * (the JVM skips it at the dump: "Old class has been linked"), so each command that builds
 * picocli's command tree (picocli is built for Java 5) loads its ~190 classes from the jar and
 * verifies them by inference; as Java 8 classes they come from the archive, verified already
 * (`--help` 245 -> 177 ms; BENCHMARKS.md, round twelve). The code of each method is unchanged.
 *
 * <p>Usage: {@code java UpgradeOldClasses.java <jar>}; the jar is replaced atomically. Prints
 * how many classes it rewrote.
 */
public final class UpgradeOldClasses {
    private static final int JAVA_6 = 50;
    private static final int JAVA_8 = 52;

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java UpgradeOldClasses.java <jar>");
            System.exit(2);
        }
        Path jar = Path.of(args[0]);
        Path tmp = jar.resolveSibling(jar.getFileName() + ".upgrading");
        int upgraded = 0;
        // Stack maps need the common supertypes of the jar's own classes: resolved from the jar itself.
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            ClassFile classFile = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(loader))));
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
                 OutputStream file = Files.newOutputStream(tmp);
                 ZipOutputStream out = new ZipOutputStream(file)) {
                ZipEntry e;
                while ((e = in.getNextEntry()) != null) {
                    byte[] bytes = in.readAllBytes();
                    if (e.getName().endsWith(".class") && majorVersion(bytes) < JAVA_6) {
                        ClassModel model = classFile.parse(bytes);
                        // Every method body rebuilt, so that the stack maps Java 7+ verification needs are computed.
                        bytes = classFile.transformClass(model, ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                                .andThen(ClassTransform.endHandler(b -> b.withVersion(JAVA_8, 0))));
                        upgraded++;
                    }
                    ZipEntry copy = new ZipEntry(e.getName());
                    copy.setTime(e.getTime());
                    out.putNextEntry(copy);
                    out.write(bytes);
                    out.closeEntry();
                }
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("UpgradeOldClasses: " + upgraded + " class files older than Java 6 rewritten as Java 8 in " + jar.getFileName());
    }

    /** The class file's major version, or Integer.MAX_VALUE when it is not a class file (left as it is). */
    private static int majorVersion(byte[] b) {
        if (b.length < 8 || (b[0] & 0xff) != 0xca || (b[1] & 0xff) != 0xfe || (b[2] & 0xff) != 0xba || (b[3] & 0xff) != 0xbe) return Integer.MAX_VALUE;
        return ((b[6] & 0xff) << 8) | (b[7] & 0xff);
    }
}
