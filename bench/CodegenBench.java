// farm-codegen warm in-process timing for bench.py's codegen benchmark. Not part of any build: run with the
// source launcher on farm's runnable jar,
//   java -cp farm-cli/target/farm.jar bench/CodegenBench.java WARMUPS RUNS SPEC...
// For each spec: WARMUPS untimed generations, then RUNS timed ones (read + parse + resolve + emit, the whole
// TypeScriptGenerator.generate(OpenApiSource) call; nothing written), printing "SPEC<TAB>ms,ms,...<TAB>chars".
import dev.farm.codegen.CodegenOptions;
import dev.farm.codegen.CodegenResult;
import dev.farm.codegen.OpenApiSource;
import dev.farm.codegen.TypeScriptGenerator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

public class CodegenBench {
    public static void main(String[] args) {
        int warmups = Integer.parseInt(args[0]);
        int runs = Integer.parseInt(args[1]);
        TypeScriptGenerator generator = TypeScriptGenerator.create(CodegenOptions.defaults());
        for (int s = 2; s < args.length; s++) {
            OpenApiSource source = OpenApiSource.file(Path.of(args[s]));
            int chars = 0;
            for (int i = 0; i < warmups; i++) {
                chars = generator.generate(source).source().length();
            }
            List<String> times = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                CodegenResult result = generator.generate(source);
                long end = System.nanoTime();
                chars = result.source().length();
                times.add(String.format(java.util.Locale.ROOT, "%.1f", (end - start) / 1e6));
            }
            System.out.println(args[s] + "\t" + String.join(",", times) + "\t" + chars);
        }
    }
}
