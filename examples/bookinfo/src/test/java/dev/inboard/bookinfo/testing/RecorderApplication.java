package dev.inboard.bookinfo.testing;

import dev.inboard.bookinfo.common.BookinfoApplications;
import dev.inboard.bookinfo.common.PodEnvironment;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A workload of the mesh that records the headers of every request it gets and answers with reviews v1's JSON:
 * started as app {@code reviews}, version {@code recorder}, it shows what productpage sends reviews.
 */
@SpringBootApplication
@Import(PodEnvironment.class)
public class RecorderApplication {
  /** Requests received: headers by lower-case name (first value). */
  public static final List<Map<String, String>> RECEIVED = new CopyOnWriteArrayList<>();
  /** When set, the recorder answers 503 (after recording). */
  public static final AtomicBoolean FAIL = new AtomicBoolean();

  public static ConfigurableApplicationContext run(String[] args) {
    return BookinfoApplications.run(RecorderApplication.class, "reviews", Map.of(), args);
  }

  @RestController
  static class Recorder {
    @RequestMapping(path = "/**", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> record(HttpServletRequest request) {
      Map<String, String> headers = new LinkedHashMap<>();
      for (String name : Collections.list(request.getHeaderNames())) {
        headers.put(name.toLowerCase(java.util.Locale.ROOT), request.getHeader(name));
      }
      headers.put(":path", request.getRequestURI());
      RECEIVED.add(headers);
      if (FAIL.get()) {
        return ResponseEntity.status(503).body("{\"error\": \"recorder told to fail\"}");
      }
      return ResponseEntity.ok("{\"id\": \"0\",\"podname\": \"recorder\",\"clustername\": \"null\",\"reviews\": []}");
    }
  }
}
