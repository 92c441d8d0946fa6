package dev.inboard.bookinfo;

import dev.inboard.bookinfo.details.DetailsApplication;
import dev.inboard.bookinfo.productpage.ProductPageApplication;
import dev.inboard.bookinfo.ratings.RatingsApplication;
import dev.inboard.bookinfo.reviews.ReviewsApplication;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts one Bookinfo service: {@code BookinfoMain <service> [--prop=value ...]} with service one of productpage,
 * details, reviews, ratings. The remaining arguments are Spring command-line properties, e.g.
 * {@code --server.address=127.0.0.2 --mesh.control-plane=127.0.0.1:15010 --mesh.labels.version=v2}.
 */
public final class BookinfoMain {
  /** The services, by the name given on the command line. */
  public static final Map<String, Function<String[], ConfigurableApplicationContext>> SERVICES = Map.of(
      "productpage", ProductPageApplication::run,
      "details", DetailsApplication::run,
      "reviews", ReviewsApplication::run,
      "ratings", RatingsApplication::run);

  private BookinfoMain() {}

  public static void main(String[] args) {
    var service = args.length == 0 ? null : SERVICES.get(args[0]);
    if (service == null) {
      System.err.println((args.length == 0 ? "no service given" : "unknown service '" + args[0] + "'") + "\n"
          + "usage: BookinfoMain <productpage|details|reviews|ratings> [--property=value ...]\n"
          + "  e.g. BookinfoMain reviews --server.address=127.0.0.3 --mesh.control-plane=127.0.0.1:15010 "
          + "--mesh.labels.version=v2");
      System.exit(2);
      return;
    }
    service.apply(Arrays.copyOfRange(args, 1, args.length));
  }
}
