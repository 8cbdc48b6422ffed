import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

public class Threads {
    static int deep(int n) { return n == 0 ? 0 : 1 + deep(n - 1); }

    public static void main(String[] args) throws Exception {
        ExecutorService ex = Executors.newFixedThreadPool(8);
        List<Future<Long>> fs = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            final int k = i;
            fs.add(ex.submit(() -> {
                long s = 0;
                for (int j = 0; j < 100000; j++) s += j % (k + 1);
                return s;
            }));
        }
        long total = 0;
        for (Future<Long> f : fs) total += f.get();
        ex.shutdown();
        System.out.println("pool total " + total);
        try { Object o = null; o.hashCode(); } catch (NullPointerException e) { System.out.println("npe caught"); }
        try { deep(10000000); } catch (StackOverflowError e) { System.out.println("stack overflow caught"); }
        Path p = Files.createTempFile("t", ".txt");
        Files.writeString(p, "hello");
        System.out.println("file " + Files.readString(p));
        Files.delete(p);
        Process pr = new ProcessBuilder("/bin/echo", "child").start();
        System.out.println(new String(pr.getInputStream().readAllBytes()).trim() + " " + pr.waitFor());
        try (ServerSocket ss = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket c = ss.accept()) { c.getOutputStream().write("pong".getBytes()); } catch (IOException e) { }
            });
            t.start();
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort())) {
                System.out.println("socket " + new String(s.getInputStream().readAllBytes()));
            }
            t.join();
        }
        System.out.println("processors " + (Runtime.getRuntime().availableProcessors() > 0));
    }
}
