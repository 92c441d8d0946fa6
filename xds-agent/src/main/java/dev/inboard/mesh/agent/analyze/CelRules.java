package dev.inboard.mesh.agent.analyze;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelEvaluationExceptionBuilder;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The CEL rules of CRD schemas ({@code x-kubernetes-validations}), compiled once and evaluated with {@code self}
 * bound to the value under validation. The environment is the one the Kubernetes API server offers: standard
 * macros, the string extensions and the URL library ({@code url}, {@code isURL}, {@code getScheme}, ...).
 * Transition rules (those reading {@code oldSelf}) never apply: every document is a create.
 */
final class CelRules {
  private static final OpaqueType URL = OpaqueType.create("kubernetes.URL");
  private static final Pattern OLD_SELF = Pattern.compile("\\boldSelf\\b|\\boptionalOldSelf\\b");

  private static final Cel CEL = CelFactory.standardCelBuilder()
      .setOptions(CelOptions.current().enableHeterogeneousNumericComparisons(true).build())
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addCompilerLibraries(CelExtensions.strings())
      .addRuntimeLibraries(CelExtensions.strings())
      .addVar("self", SimpleType.DYN)
      .addFunctionDeclarations(
          CelFunctionDecl.newFunctionDeclaration("url",
              CelOverloadDecl.newGlobalOverload("string_to_url", URL, SimpleType.STRING)),
          CelFunctionDecl.newFunctionDeclaration("isURL",
              CelOverloadDecl.newGlobalOverload("is_url_string", SimpleType.BOOL, SimpleType.STRING)),
          CelFunctionDecl.newFunctionDeclaration("getScheme",
              CelOverloadDecl.newMemberOverload("url_get_scheme", SimpleType.STRING, URL)),
          CelFunctionDecl.newFunctionDeclaration("getHost",
              CelOverloadDecl.newMemberOverload("url_get_host", SimpleType.STRING, URL)),
          CelFunctionDecl.newFunctionDeclaration("getHostname",
              CelOverloadDecl.newMemberOverload("url_get_hostname", SimpleType.STRING, URL)),
          CelFunctionDecl.newFunctionDeclaration("getPort",
              CelOverloadDecl.newMemberOverload("url_get_port", SimpleType.STRING, URL)),
          CelFunctionDecl.newFunctionDeclaration("getEscapedPath",
              CelOverloadDecl.newMemberOverload("url_get_escaped_path", SimpleType.STRING, URL)))
      .addFunctionBindings(
          CelFunctionBinding.from("string_to_url", String.class, CelRules::url),
          CelFunctionBinding.from("is_url_string", String.class, text -> KubernetesUrl.parse(text).url().isPresent()),
          CelFunctionBinding.from("url_get_scheme", KubernetesUrl.class, KubernetesUrl::scheme),
          CelFunctionBinding.from("url_get_host", KubernetesUrl.class, KubernetesUrl::host),
          CelFunctionBinding.from("url_get_hostname", KubernetesUrl.class, KubernetesUrl::hostname),
          CelFunctionBinding.from("url_get_port", KubernetesUrl.class, KubernetesUrl::port),
          CelFunctionBinding.from("url_get_escaped_path", KubernetesUrl.class, KubernetesUrl::path))
      .build();

  private final Map<String, CelRuntime.Program> programs = new ConcurrentHashMap<>();

  /** What a rule said about a value. */
  sealed interface Outcome {
    /** The rule holds. */
    record Holds() implements Outcome {}

    /** The rule evaluated to false (or to something other than a boolean). */
    record Violated() implements Outcome {}

    /** The rule could not be evaluated for this value (e.g. {@code int("abc")}): Kubernetes rejects such values. */
    record Failed(String reason) implements Outcome {}
  }

  /** Whether a rule compares with the previous object: such rules are skipped on create. */
  static boolean isTransitionRule(String rule) {
    return OLD_SELF.matcher(rule).find();
  }

  /** Evaluates {@code rule} with {@code self} bound to {@code self} (a CEL value: map, list, string, long, ...). */
  Outcome evaluate(String rule, Object self) {
    CelRuntime.Program program = programs.computeIfAbsent(rule, CelRules::compile);
    try {
      Object result = program.eval(Map.of("self", self));
      return Boolean.TRUE.equals(result) ? new Outcome.Holds() : new Outcome.Violated();
    } catch (CelEvaluationException e) {
      return new Outcome.Failed(reason(e));
    }
  }

  /** Compiles a rule; a rule this environment cannot compile is a defect of the environment, not of the input. */
  static CelRuntime.Program compile(String rule) {
    CelValidationResult compiled = CEL.compile(rule);
    try {
      CelAbstractSyntaxTree ast = compiled.getAst();
      return CEL.createProgram(ast);
    } catch (CelValidationException | CelEvaluationException e) {
      throw new IllegalStateException("CRD rule does not compile: " + rule + ": " + e.getMessage(), e);
    }
  }

  private static Object url(String text) throws CelEvaluationException {
    KubernetesUrl.Result parsed = KubernetesUrl.parse(text);
    if (parsed.url().isEmpty()) {
      throw CelEvaluationExceptionBuilder.newBuilder("URL parse error during conversion from string: %s",
          parsed.error()).build();
    }
    return parsed.url().get();
  }

  private static String reason(CelEvaluationException e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    return message.replaceFirst("^evaluation error(?: at [^:]*:\\d+)?: ", "");
  }
}
