package io.flinkplatform.engine.internal.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.dag.Edge;
import io.flinkplatform.engine.dag.EdgeCondition;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.TaskState;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class DagPictureTest {

  private static Document parse(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<Element> byClass(Document d, String tag, String cls) {
    NodeList all = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", tag);
    List<Element> out = new ArrayList<>();
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      if (cls.equals(e.getAttribute("class"))) {
        out.add(e);
      }
    }
    return out;
  }

  private static Workflow diamond() {
    return Workflow.builder("diamond")
        .task("extract", "emit")
        .task("left", "emit")
        .task("right", "fail")
        .task("load", "emit")
        .task("alert", "noop")
        .edge("extract", "left")
        .edge("extract", "right")
        .edge("left", "load")
        .edge("right", "load")
        .edge("right", "alert", EdgeCondition.FAILURE)
        .build();
  }

  @Test
  void aNodePerTaskAndAnEdgePerDependencyInAnSvgDocument() throws Exception {
    Workflow w = diamond();
    Document d = parse(DagPicture.svg(w));
    assertThat(d.getDocumentElement().getLocalName()).isEqualTo("svg");
    List<Element> nodes = byClass(d, "g", "node");
    assertThat(nodes)
        .extracting(n -> n.getAttribute("data-task"))
        .containsExactlyInAnyOrder("extract", "left", "right", "load", "alert");
    List<Element> edges = byClass(d, "path", "edge");
    assertThat(edges)
        .extracting(e -> e.getAttribute("data-from") + ">" + e.getAttribute("data-to"))
        .containsExactlyInAnyOrder(
            "extract>left", "extract>right", "left>load", "right>load", "right>alert");
    assertThat(edges)
        .allSatisfy(e -> assertThat(e.getAttribute("marker-end")).contains("dag-arrow"));
    // only the conditioned edge has a label
    assertThat(byClass(d, "text", "edge-label"))
        .extracting(Element::getTextContent)
        .containsExactly("on failure");
  }

  @Test
  void layersFollowTheLongestPathAndEdgesRunLeftToRight() throws Exception {
    Workflow w =
        Workflow.builder("skip")
            .task("a", "emit")
            .task("b", "emit")
            .task("c", "emit")
            .edge("a", "b")
            .edge("b", "c")
            .edge("a", "c")
            .build();
    Map<String, Integer> layer = DagPicture.layers(List.of("a", "b", "c"), w.edges());
    assertThat(layer).containsEntry("a", 0).containsEntry("b", 1).containsEntry("c", 2);
    Document d = parse(DagPicture.svg(w));
    Map<String, Double> x = new HashMap<>();
    for (Element g : byClass(d, "g", "node")) {
      Element rect =
          (Element) g.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect").item(0);
      x.put(g.getAttribute("data-task"), Double.parseDouble(rect.getAttribute("x")));
    }
    assertThat(x.get("a")).isLessThan(x.get("b"));
    assertThat(x.get("b")).isLessThan(x.get("c"));
  }

  @Test
  void barycentersUncrossTwoParallelChains() {
    // a1 -> b2 and a2 -> b1 drawn in declaration order would cross; the sweep swaps b1 and b2
    List<Edge> edges =
        List.of(
            new Edge("a1", "b2", EdgeCondition.SUCCESS),
            new Edge("a2", "b1", EdgeCondition.SUCCESS));
    List<String> ids = List.of("a1", "a2", "b1", "b2");
    List<List<String>> layers = DagPicture.order(ids, edges, DagPicture.layers(ids, edges));
    assertThat(layers).hasSize(2);
    int a1 = layers.get(0).indexOf("a1");
    int a2 = layers.get(0).indexOf("a2");
    int b1 = layers.get(1).indexOf("b1");
    int b2 = layers.get(1).indexOf("b2");
    assertThat(Integer.compare(a1, a2)).isEqualTo(Integer.compare(b2, b1));
  }

  @Test
  void statesColourTheBoxesAndAreNamedOnThem() throws Exception {
    Document d =
        parse(
            DagPicture.svg(
                diamond(),
                Map.of(
                    "extract",
                    TaskState.SUCCESS,
                    "right",
                    TaskState.FAILED,
                    "left",
                    TaskState.RUNNING)));
    Map<String, Element> nodes = new HashMap<>();
    byClass(d, "g", "node").forEach(n -> nodes.put(n.getAttribute("data-task"), n));
    assertThat(nodes.get("extract").getAttribute("data-state")).isEqualTo("SUCCESS");
    assertThat(nodes.get("left").getAttribute("data-state")).isEqualTo("RUNNING");
    assertThat(nodes.get("load").getAttribute("data-state")).isEmpty();
    String successFill = DagPicture.colours(TaskState.SUCCESS)[0];
    String failedFill = DagPicture.colours(TaskState.FAILED)[0];
    assertThat(successFill).isNotEqualTo(failedFill);
    assertThat(rect(nodes.get("extract")).getAttribute("fill")).isEqualTo(successFill);
    assertThat(rect(nodes.get("right")).getAttribute("fill")).isEqualTo(failedFill);
  }

  private static Element rect(Element g) {
    return (Element) g.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect").item(0);
  }

  @Test
  void namesAreEscaped() throws Exception {
    String evil = "x\"><script>alert('1')</script>&";
    Workflow w = Workflow.builder("w<&>").task("t", "emit").build();
    // a definition as the builder takes it; ids are validated at deploy, the picture must not trust
    // them
    Workflow raw =
        new Workflow(
            w.name(),
            w.description(),
            w.parameters(),
            List.of(
                new io.flinkplatform.engine.dag.TaskDefinition(
                    evil,
                    "emit<b>",
                    Map.of(),
                    w.tasks().get(0).triggerRule(),
                    w.tasks().get(0).retry(),
                    java.util.Optional.empty(),
                    0,
                    Map.of(),
                    java.util.Optional.empty(),
                    java.util.Optional.empty())),
            List.of());
    String svg = DagPicture.svg(raw, Map.of(evil, TaskState.RUNNING));
    assertThat(svg).doesNotContain("<script").doesNotContain("<b>");
    Document d = parse(svg);
    assertThat(byClass(d, "g", "node").get(0).getAttribute("data-task")).isEqualTo(evil);
    assertThat(d.getDocumentElement().getAttribute("aria-label")).isEqualTo("DAG of w<&>");
  }

  @Test
  void anEmptyWorkflowIsAnEmptyPicture() throws Exception {
    Workflow w = new Workflow("empty", "", Map.of(), List.of(), List.of());
    Document d = parse(DagPicture.svg(w));
    assertThat(byClass(d, "g", "node")).isEmpty();
  }
}
