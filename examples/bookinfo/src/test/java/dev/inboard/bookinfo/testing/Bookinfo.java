package dev.inboard.bookinfo.testing;

import dev.inboard.bookinfo.details.DetailsApplication;
import dev.inboard.bookinfo.productpage.ProductPageApplication;
import dev.inboard.bookinfo.ratings.RatingsApplication;
import dev.inboard.bookinfo.reviews.ReviewsApplication;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * All of Bookinfo in the mesh, started once for the test classes that take it as a parameter
 * ({@code @ExtendWith(Bookinfo.class)}) and closed after the last one: productpage (1), details (2), reviews v1
 * (3), v2 (4), v3 (5), ratings (6), the {@link RecorderApplication} as reviews version {@code recorder} (7), and
 * reviews with red stars calling ratings over gRPC, version {@code grpc} (8). Every version except {@code recorder}
 * and {@code grpc} is a subset of {@code destination-rule-all.yaml}; {@code recorder} gets its own subset.
 */
public final class Bookinfo implements ParameterResolver {
  public static final int PRODUCTPAGE = 1;
  public static final int DETAILS = 2;
  public static final int REVIEWS_V1 = 3;
  public static final int REVIEWS_V2 = 4;
  public static final int REVIEWS_V3 = 5;
  public static final int RATINGS = 6;
  public static final int RECORDER = 7;
  public static final int REVIEWS_GRPC = 8;

  static final String REVIEWS_SUBSETS = """
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata:
        name: reviews
      spec:
        host: reviews
        subsets:
        - name: v1
          labels:
            version: v1
        - name: v2
          labels:
            version: v2
        - name: v3
          labels:
            version: v3
        - name: recorder
          labels:
            version: recorder
      """;

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == BookinfoMesh.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .computeIfAbsent(BookinfoMesh.class, k -> startAll(), BookinfoMesh.class);
  }

  private static BookinfoMesh startAll() {
    BookinfoMesh mesh = BookinfoMesh.start();
    try {
      mesh.apply(REVIEWS_SUBSETS);
      mesh.start(RatingsApplication::run, RATINGS, "v1");
      mesh.start(DetailsApplication::run, DETAILS, "v1");
      mesh.start(ReviewsApplication::run, REVIEWS_V1, "v1");
      mesh.start(ReviewsApplication::run, REVIEWS_V2, "v2");
      mesh.start(ReviewsApplication::run, REVIEWS_V3, "v3");
      mesh.start(RecorderApplication::run, RECORDER, "recorder");
      mesh.start(ReviewsApplication::run, REVIEWS_GRPC, "grpc", "--bookinfo.reviews.ratings-protocol=grpc",
          "--bookinfo.reviews.star-color=red", "--bookinfo.reviews.enable-ratings=true");
      mesh.start(ProductPageApplication::run, PRODUCTPAGE, "v1");
      return mesh;
    } catch (RuntimeException | Error e) {
      mesh.close();
      throw e;
    }
  }
}
